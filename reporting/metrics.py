"""The four SUP 16.34.6R figures, each by one aggregate SQL query over indexed columns.

Every counting rule lives in one ``Q`` (or per-client annotation) below, used both by the
aggregate that produces a figure and by the ``INSERT ... SELECT`` that stores the complaints or
clients behind it, so a figure and its drill-down cannot disagree. The per-client facts of a
snapshot (active, retail, vulnerable in the ledger) are computed once, by its import
(``store_active_clients``), so metrics 3 and 4 read a table of active clients. Sources: CP26/4 draft
SUP 16.34.6R (seed lines 249-251) and its Annex 6 guidance, SUP 16 Annex 60G (seed lines
130-131); the readings chosen where they are ambiguous are disp-rules.md A9, A11, A12 and A13.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from django.db import connection
from django.db.models import (
    Case,
    Count,
    IntegerField,
    Max,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    When,
)

from complaints.choices import Activity, Outcome
from complaints.models import Complainant, Complaint, Firm

from .choices import ArrangementStatus, Metric
from .models import ActiveClient, ClientPositionRow, ReturnItem

LONDON = ZoneInfo("Europe/London")
_NOTHING = ["-none-"]  # an IN list matching no activity, avoiding Django's EmptyResultSet


def period_bounds(start: date, end: date) -> tuple[datetime, datetime]:
    """[start 00:00, day after end 00:00) in Europe/London: business dates, never UTC dates."""
    return (
        datetime.combine(start, time.min, tzinfo=LONDON),
        datetime.combine(end + timedelta(days=1), time.min, tzinfo=LONDON),
    )


@dataclass(frozen=True)
class ComplaintScope:
    """Which complaints SUP 16.34 counts for a firm (A11).

    DISP 1.10.1-B G [CP]: SUP 16.34 takes only "relevant complaints", those relating to the
    regulated cryptoasset activities; Glossary limb (2) needs the activity to fall under the FOS's
    jurisdiction, which DISP 2.6 ties to a UK establishment. So a complaint counts when it meets
    the Glossary definition and concerns a cryptoasset activity the firm does not carry on from
    outside the UK, whoever the complainant is (Annex 6: "existing client or a prospective
    client"). Everything else received in the period is tagged with the reason it is left out.

    A cryptoasset activity the firm has not listed is counted, as the letters treat it (FOS
    access is never denied by default, ``letters.rendering.fos_available_for``), and flagged for
    the reporting officer: either the complaint's activity or the firm's list is wrong.
    """

    firm_id: int
    listed_activities: tuple[str, ...]
    non_uk_activities: tuple[str, ...]

    @classmethod
    def for_firm(cls, firm: Firm) -> ComplaintScope:
        crypto = set(Activity.crypto())
        listed: list[str] = []
        non_uk: list[str] = []
        for fa in firm.activities.all():
            if fa.activity in crypto:
                listed.append(fa.activity)
                if not fa.from_uk_establishment:
                    non_uk.append(fa.activity)
        return cls(firm.pk, tuple(sorted(listed)), tuple(sorted(non_uk)))

    def counted(self) -> Q:
        return Q(is_complaint=True, activity__in=Activity.crypto()) & ~Q(
            activity__in=list(self.non_uk_activities) or _NOTHING
        )

    def flags(self) -> dict[str, Q]:
        """Counted, but for the reporting officer to check: the activity is not on the firm's
        list of activities (it counts, as the letters' default does; see the class)."""
        return {
            Metric.FLAG_UNLISTED_ACTIVITY: self.counted()
            & ~Q(activity__in=list(self.listed_activities) or _NOTHING)
        }

    def exclusions(self) -> dict[str, Q]:
        """Received in the period but not counted, by reason (A11, E47)."""
        return {
            Metric.EXCLUDED_FEEDBACK: Q(is_complaint=False),
            Metric.EXCLUDED_NON_CRYPTO: Q(is_complaint=True) & ~Q(activity__in=Activity.crypto()),
            Metric.EXCLUDED_NON_UK: Q(
                is_complaint=True, activity__in=list(self.non_uk_activities) or _NOTHING
            ),
        }


def upheld_between(firm_id: int, lo: datetime, hi: datetime | None = None) -> Q:
    """Given an upheld outcome at a time in ``[lo, hi)``, read from the complaint's outcome
    history, not only its current outcome.

    Reopening a complaint (and answering it again) replaces ``outcome`` and ``outcome_at`` on the
    row, but an uphold the firm gave stays a fact of the period it was given in: the audit
    history keeps every outcome with its ``outcome_at`` (``remediation.selectors.
    outcome_history`` reads the same source). The current outcome is ORed in for rows loaded
    without history. A subquery inside the figure's single query, not a second read."""
    when = Q(outcome_at__gte=lo) & (Q(outcome_at__lt=hi) if hi is not None else Q())
    upheld = Q(outcome__in=Outcome.counted_as_upheld()) & when
    history = Complaint.history.model.objects.filter(upheld, firm_id=firm_id).values("id")
    return upheld | Q(pk__in=history)


def complaint_conditions(scope: ComplaintScope, start: date, end: date) -> dict[str, Q]:
    """The condition for each complaint metric of the period ``[start, end]``.

    Metric 1, complaints received (SUP 16.34.6R(1); Annex 6): received in the period, counted
    once "regardless of outcome or whether it was subsequently withdrawn" (E45); feedback and
    queries that are not Glossary complaints never count (E47).

    Metric 2, complaints upheld (SUP 16.34.6R(2)): the rule text says "upheld by the firm during
    the reporting period", so by default a complaint counts in each period in which the firm
    gave it an upheld outcome (``outcome_at``), whenever it was received (E44), once per period.
    Annex 6 instead says "received ... within the reporting period that were upheld" (a cohort,
    judged on what is known when the return is computed); both are computed and the setting
    SUP16_UPHELD_BASIS picks which is reported (A9). "Upheld in part" and a goodwill payment
    before a decision count as upheld (Annex 6; E46); a withdrawn complaint is not upheld. Both
    readings take the outcome history (``upheld_between``), so a later reopening never erases
    an uphold already given.
    """
    lo, hi = period_bounds(start, end)
    received = Q(received_at__gte=lo, received_at__lt=hi)
    counted = scope.counted()
    conditions: dict[str, Q] = {
        Metric.RECEIVED: counted & received,
        Metric.UPHELD: counted & upheld_between(scope.firm_id, lo, hi),
        # An uphold of a complaint received in the period is given at or after its receipt.
        Metric.UPHELD_COHORT: counted & received & upheld_between(scope.firm_id, lo),
    }
    for metric, q in {**scope.exclusions(), **scope.flags()}.items():
        conditions[metric] = q & received
    return conditions


def complaints_in_play(firm: Firm, start: date, end: date) -> QuerySet[Complaint]:
    """Complaints received or upheld in the period: index range scans on (firm, received_at)
    and (firm, outcome_at), and the firm's upheld outcomes in the history."""
    lo, hi = period_bounds(start, end)
    return Complaint.objects.filter(firm=firm).filter(
        Q(received_at__gte=lo, received_at__lt=hi) | upheld_between(firm.pk, lo, hi)
    )


def complaint_figures(conditions: dict[str, Q], base: QuerySet[Complaint]) -> dict[str, int]:
    """Every complaint metric in one aggregate query."""
    return base.order_by().aggregate(
        **{metric: Count("pk", filter=q) for metric, q in conditions.items()}
    )


# --- client metrics (from the period-end snapshot) ------------------------------------------


_FG21_DRIVERS = (
    Q(vulnerable_health=True)
    | Q(vulnerable_life_events=True)
    | Q(vulnerable_resilience=True)
    | Q(vulnerable_capability=True)
    | Q(vulnerability_support_needs=True)  # recorded without consent to the detail
)


def linked_vulnerable_clients(firm: Firm, as_at: date) -> QuerySet:
    """Client IDs of the firm's complainants recorded as vulnerable (FG21/1 drivers) as at the
    end of ``as_at``: the firm had identified the characteristic by then, so it counts even if
    the ledger does not flag it.

    SUP 16.34.6R(4) counts customers "identified as having characteristics of vulnerability" as
    at the end of the reporting period, so the complainant's audited history decides, not the
    record as it is today: the entry in force at the period end (the last one before midnight,
    Europe/London) must carry a driver. A vulnerability first recorded after the period end (a
    complainant logged later, or a driver added later) does not count for that period; one
    removed after the period end still does. One correlated subquery on the history's
    ``(id, history_date)``, inside the figure's single query."""
    _, end = period_bounds(as_at, as_at)
    in_force = (
        Complainant.history.model.objects.filter(id=OuterRef("pk"), history_date__lt=end)
        .order_by("-history_date", "-history_id")
        .annotate(driver=Case(When(_FG21_DRIVERS, then=1), default=0, output_field=IntegerField()))
        .values("driver")[:1]
    )
    return (
        Complainant.objects.filter(firm=firm)
        .exclude(client_reference="")
        .annotate(vulnerable_then=Subquery(in_force))
        .filter(vulnerable_then=1)
        .values("client_reference")
    )


def _flag(when: When) -> Max:
    """1 when any of the client's rows meets ``when``, else 0."""
    return Max(Case(when, default=0, output_field=IntegerField()))


# Annex 6, metric 3: an arrangement is active when it is "open at period end with a non-zero
# balance (including qualifying cryptoassets or fiat funds)" (so fiat pending withdrawal counts);
# test/demo accounts and zero balances are excluded, and an arrangement pending closure never
# makes a client active ("do not include clients whose only activity is pending account
# closure"). Only qualifying cryptoasset activity arrangements count. A negative balance (an
# overdrawn or debit position) is accepted at import but is not active: Annex 6 leaves out
# clients "who have no funds or qualifying cryptoassets held with the firm at period end", and a
# debit is not something held for the client (docs/reporting.md).
ACTIVE_ROW = Q(
    status=ArrangementStatus.OPEN, is_test=False, activity__in=Activity.crypto(), balance_gbp__gt=0
)


def active_clients_of_rows(snapshot_id: int) -> QuerySet:
    """One row per client of the snapshot with at least one active arrangement (``ACTIVE_ROW``),
    with 0/1 flags ``retail`` (retail on an active arrangement) and ``vulnerable`` (flagged in
    the ledger on a row that is not a test account). "Count unique individual clients": a client
    with several active arrangements is one row (E48); A13 reads "individual" as de-duplicated,
    not as natural persons only."""
    return (
        ClientPositionRow.objects.filter(snapshot_id=snapshot_id)
        .order_by()
        .values("client_id")
        .annotate(
            active=_flag(When(ACTIVE_ROW, then=1)),
            retail=_flag(When(ACTIVE_ROW & Q(is_retail=True), then=1)),
            vulnerable=_flag(When(Q(vulnerable=True, is_test=False), then=1)),
        )
        .filter(active=1)
    )


def store_active_clients(snapshot_id: int, table: str) -> None:
    """Write the snapshot's ``ActiveClient`` rows into ``table`` (the snapshot's own, see
    ``services.snapshot_rows``): one ``INSERT ... SELECT`` grouping its rows once, run by the
    import. A snapshot never changes, so every return computed from it reads these instead of
    grouping the rows again. Written in key order."""
    sql, params = active_clients_of_rows(snapshot_id).query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} "
            "(snapshot_id, client_id, retail, vulnerable) "
            "SELECT CAST(%s AS BIGINT), sub.client_id, sub.retail = 1, sub.vulnerable = 1 "
            f"FROM ({sql}) sub ORDER BY sub.client_id",
            [snapshot_id, *params],
        )


def vulnerable_active_retail(snapshot_id: int, firm: Firm, as_at: date) -> QuerySet[ActiveClient]:
    """Annex 6, metric 4: the active clients (``ActiveClient``) who are retail on an active
    arrangement and identified as vulnerable, either in the ledger (any of the client's rows that
    is not a test account) or on a linked complainant as recorded at the end of ``as_at`` (the
    period end; see ``linked_vulnerable_clients``)."""
    return ActiveClient.objects.filter(snapshot_id=snapshot_id, retail=True).filter(
        Q(vulnerable=True) | Q(client_id__in=linked_vulnerable_clients(firm, as_at))
    )


def active_client_count(snapshot_id: int) -> int:
    """Metric 3: the snapshot's active clients, counted from the table the import wrote.

    Metric 4 is not counted here: its figure is the number of clients ``store_client_items``
    stores behind it, so the linked-complainant rule (a subquery over every complainant's
    history) is evaluated once per return, not once for the figure and again for its clients."""
    return ActiveClient.objects.filter(snapshot_id=snapshot_id).count()


# --- storing the IDs behind the figures -------------------------------------------------------

_ITEM_TABLE = ReturnItem._meta.db_table
_ITEM_COLUMNS = "version_id, metric, complaint_id, complaint_reference, client_id"


def store_complaint_items(
    version_id: int, conditions: dict[str, Q], base: QuerySet[Complaint]
) -> None:
    """One ``INSERT ... SELECT`` writes every complaint behind every complaint metric, reading
    the complaints once: a materialised CTE holds each complaint in play with one 0/1 flag per
    metric (the very conditions the figures count), and each metric takes its rows from it.
    Written in (metric, reference) order, the drill-down's; the IDs never travel through
    Python."""
    flags = {
        f"m{i}": Case(When(q, then=1), default=0, output_field=IntegerField())
        for i, q in enumerate(conditions.values())
    }
    query = base.order_by().annotate(**flags).values("id", "reference", *flags).query
    sql, params = query.sql_with_params()
    parts: list[str] = []
    select_params: list[Any] = []
    for flag, metric in zip(flags, conditions, strict=True):
        parts.append(
            f"SELECT CAST(%s AS BIGINT), %s, c.id, c.reference, '' FROM c WHERE c.{flag} = 1"
        )
        select_params += [version_id, str(metric)]
    with connection.cursor() as cursor:
        cursor.execute(
            f"WITH c AS MATERIALIZED ({sql}) "
            f"INSERT INTO {_ITEM_TABLE} ({_ITEM_COLUMNS}) "
            f"SELECT * FROM ({' UNION ALL '.join(parts)}) items ORDER BY 2, 4",
            [*params, *select_params],
        )


def store_client_items(version_id: int, snapshot_id: int, firm: Firm, as_at: date) -> None:
    """One ``INSERT ... SELECT`` writes the clients behind metric 4, in client order. Those
    behind metric 3 are the snapshot's ``ActiveClient`` rows, not copied (see ``ReturnItem``);
    metric 4's are, because they also depend on the complainants' history."""
    clients = vulnerable_active_retail(snapshot_id, firm, as_at).values("client_id")
    sql, params = clients.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {_ITEM_TABLE} ({_ITEM_COLUMNS}) "
            "SELECT CAST(%s AS BIGINT), %s, CAST(NULL AS BIGINT), '', sub.client_id "
            f"FROM ({sql}) sub ORDER BY sub.client_id",
            [version_id, str(Metric.VULNERABLE_CLIENTS), *params],
        )


def stored_counts(version_id: int) -> dict[str, int]:
    rows = (
        ReturnItem.objects.filter(version_id=version_id)
        .order_by()
        .values("metric")
        .annotate(n=Count("pk"))
    )
    return {r["metric"]: r["n"] for r in rows}
