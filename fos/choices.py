"""Enumerations of the FOS referral tracker (disp-rules.md §4)."""

from django.db import models


class Stage(models.TextChoices):
    """FOS case stages (disp-rules.md §4.1)."""

    REFERRED = "referred", "Referred to the FOS"
    REFERRED_BACK_TO_FIRM = "referred_back_to_firm", "Referred back to the firm (DISP 3.2.2R)"
    PRE_REGISTRATION = "pre_registration", "Pre-registration (case readiness)"
    JURISDICTION_REVIEW = "jurisdiction_review", "Case set-up and jurisdiction check"
    INVESTIGATION = "investigation", "Investigation"
    INVESTIGATOR_VIEW_ISSUED = "investigator_view_issued", "Investigator's view issued"
    OMBUDSMAN_REVIEW = "ombudsman_review", "Referred to an ombudsman"
    PROVISIONAL_DECISION = "provisional_decision", "Provisional decision"
    FINAL_DECISION = "final_decision", "Final decision"
    ACCEPTED = "accepted", "Accepted (binding)"
    REJECTED_OR_LAPSED = "rejected_or_lapsed", "Rejected, lapsed or closed without a decision"
    COMPLIED = "complied", "Complied with"

    @classmethod
    def active(cls) -> list[str]:
        """Stages in which the FOS is still dealing with the case."""
        return [
            cls.REFERRED,
            cls.PRE_REGISTRATION,
            cls.JURISDICTION_REVIEW,
            cls.INVESTIGATION,
            cls.INVESTIGATOR_VIEW_ISSUED,
            cls.OMBUDSMAN_REVIEW,
            cls.PROVISIONAL_DECISION,
            cls.FINAL_DECISION,
        ]

    @classmethod
    def closed(cls) -> list[str]:
        """Stages in which the FOS's involvement has ended (the firm may still have to comply)."""
        return [cls.ACCEPTED, cls.REJECTED_OR_LAPSED, cls.COMPLIED]


class ReferredBy(models.TextChoices):
    COMPLAINANT = "complainant", "The complainant"
    PROFESSIONAL_REPRESENTATIVE = (
        "professional_representative",
        "A professional representative (e.g. a claims management company)",
    )


class FosOutcome(models.TextChoices):
    UPHELD = "upheld", "Upheld"
    PARTLY_UPHELD = "partly_upheld", "Partly upheld"
    NOT_UPHELD = "not_upheld", "Not upheld"

    @classmethod
    def in_complainants_favour(cls) -> list[str]:
        return [cls.UPHELD, cls.PARTLY_UPHELD]


class InterestBasis(models.TextChoices):
    """disp-rules.md §4.4: how interest on a money award is worked out."""

    EIGHT_PC_SIMPLE = "8pc_simple", "8% simple a year"
    BOE_BASE_AVG_PLUS_1 = "boe_base_avg_plus_1", "Bank of England base rate (average) + 1%"
    AS_DIRECTED = "as_directed", "As directed by the FOS"
    NONE = "none", "No interest awarded"


class EndKind(models.TextChoices):
    """How a case ended in ``rejected_or_lapsed``."""

    REJECTED = "rejected", "The complainant rejected the final decision"
    LAPSED = "lapsed", "No acceptance by the deadline (treated as rejected)"
    WITHDRAWN = "withdrawn", "Withdrawn, dismissed or closed by the FOS without a decision"


class Check(models.TextChoices):
    PASS = "pass", "Pass"
    FAIL = "fail", "Fail"
    UNKNOWN = "unknown", "Unknown"
