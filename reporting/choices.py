"""Enumerations of the reporting app: return states, metrics and their SUP 16.34 data items."""

from django.db import models


class ArrangementStatus(models.TextChoices):
    OPEN = "open", "Open"
    PENDING_CLOSURE = "pending_closure", "Pending closure"
    CLOSED = "closed", "Closed"


class ReferenceDateConvention(models.TextChoices):
    """disp-rules A7: how "3 months after its accounting reference date" is read."""

    MONTH_END = "month_end", "Month-end (an ARD at month end gives month ends)"
    LITERAL = "literal", "Literal calendar months (30 Sep + 3 months = 30 Dec)"


class UpheldBasis(models.TextChoices):
    """disp-rules A9: which reading of metric 2 is reported."""

    EVENT = "event", "Upheld during the period (SUP 16.34.6R(2) rule text)"
    COHORT = "cohort", "Received in the period and upheld (Annex 6 guidance)"


class VersionStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    APPROVED = "approved", "Approved"
    SUBMITTED = "submitted", "Submitted"


class Metric(models.TextChoices):
    """What a stored return item stands for: the four SUP 16.34.6R figures, the cohort reading
    of metric 2 kept beside them (A9), and complaints received in the period but not counted."""

    RECEIVED = "received", "Complaints received"
    UPHELD = "upheld", "Complaints upheld during the period"
    UPHELD_COHORT = "upheld_cohort", "Complaints received in the period and upheld"
    ACTIVE_CLIENTS = "active_clients", "Clients with an active arrangement"
    VULNERABLE_CLIENTS = "vulnerable_clients", "Vulnerable retail customers (active)"
    EXCLUDED_FEEDBACK = "excluded_feedback", "Not counted: feedback or query"
    EXCLUDED_NON_CRYPTO = "excluded_non_crypto", "Not counted: not a cryptoasset activity"
    EXCLUDED_NON_UK = "excluded_non_uk", "Not counted: activity not from a UK establishment"
    # Versions computed before unlisted activities were counted (issue 14) kept these apart;
    # the value stays so their items still read. New versions flag them instead.
    EXCLUDED_NOT_PERMITTED = (
        "excluded_not_permitted",
        "Not counted: activity not among the firm's permissions",
    )
    FLAG_UNLISTED_ACTIVITY = (
        "flag_unlisted_activity",
        "Counted, to check: activity not on the firm's list of activities",
    )

    @classmethod
    def client_metrics(cls) -> list[str]:
        return [cls.ACTIVE_CLIENTS, cls.VULNERABLE_CLIENTS]

    @classmethod
    def exclusions(cls) -> list[str]:
        """The reasons a complaint received in the period is left out, as computed today."""
        return [
            m for m in cls.values if m.startswith("excluded_") and m != cls.EXCLUDED_NOT_PERMITTED
        ]

    @classmethod
    def flags(cls) -> list[str]:
        """Counted complaints the reporting officer should check before approving."""
        return [m for m in cls.values if m.startswith("flag_")]


# SUP 16.34.6R data items as the FCA lists them (CP26/4 draft; Annex 6 = SUP 16 Annex 60G).
DATA_ITEMS: dict[str, tuple[str, str]] = {
    "complaints_received": (
        "SUP 16.34.6R(1)",
        "The total number of complaints received by the firm during the reporting period",
    ),
    "complaints_upheld": (
        "SUP 16.34.6R(2)",
        "The total number of complaints upheld by the firm during the reporting period",
    ),
    "active_clients": (
        "SUP 16.34.6R(3)",
        "The total number of clients with at least one active qualifying cryptoasset activity "
        "arrangement as at the end of the reporting period",
    ),
    "vulnerable_active_retail_customers": (
        "SUP 16.34.6R(4)",
        "The total number of retail customers with at least one active qualifying cryptoasset "
        "activity arrangement who have been identified as having characteristics of "
        "vulnerability",
    ),
}
