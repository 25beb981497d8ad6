"""Reads for the remediation pages and API: the outcome history, the ledger, the taxonomy,
incident search and the effectiveness review. Query counts are fixed (no per-row queries)."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any

from django.db.models import Count, Exists, OuterRef, Q, QuerySet, Sum

from common.compiled import ANY_ID, Compiled
from common.dates import LONDON
from complaints.choices import Outcome, Status
from complaints.models import Complaint
from complaints.redress_rules import redress_decision_gap

from .models import (
    ComplaintRootCause,
    Incident,
    IncidentLink,
    NoRedressDecision,
    RedressItem,
    RedressKind,
    RedressStatus,
    RemediationAction,
    RootCause,
)

# The complaint panel's reads, compiled once per process (issue 18): an id no row has and a day
# no complaint is about mark where each page binds its own. The root causes' read (four tables)
# is also planned once per connection: its plan cost the server 0.2 ms a page.
_TODAY = date(1, 1, 1)
_OUTCOME_ROWS = Compiled(
    Complaint.history.model.objects.filter(id=ANY_ID)
    .order_by("history_date", "history_id")
    .select_related("history_user")
    .only(
        "outcome",
        "outcome_at",
        "history_change_reason",
        "history_date",
        "history_user__username",
        "history_user__first_name",
        "history_user__last_name",
    ),
    ANY_ID,
)
_REDRESS_ITEMS = Compiled(
    RedressItem.objects.filter(complaint_id=ANY_ID)
    .with_overdue(_TODAY)
    .select_related("offered_by"),
    ANY_ID,
    _TODAY,
)
_NO_REDRESS = Compiled(
    NoRedressDecision.objects.filter(complaint_id=ANY_ID).order_by("pk")[:1], ANY_ID
)
_ROOT_CAUSE_LINKS = Compiled(
    ComplaintRootCause.objects.filter(complaint_id=ANY_ID).select_related(
        "root_cause__parent__parent", "assigned_by"
    ),
    ANY_ID,
    prepared=True,
)
_INCIDENT_LINKS = Compiled(
    IncidentLink.objects.filter(complaint_id=ANY_ID).select_related("incident"), ANY_ID
)
_ROOT_CAUSES = Compiled(RootCause.objects.filter(firm_id=ANY_ID).order_by("name", "pk"), ANY_ID)

# --- outcomes -------------------------------------------------------------------------------


@dataclass(frozen=True)
class OutcomeEvent:
    outcome: str
    label: str
    at: datetime
    source: str
    recorded_by: str
    superseded_at: datetime | None = None
    superseded_reason: str = ""

    @property
    def counted_as_upheld(self) -> bool:
        return self.outcome in Outcome.counted_as_upheld()


def outcome_history(complaint: Complaint) -> list[OutcomeEvent]:
    """Every outcome the complaint has had, oldest first, from its audit history.

    A reopened complaint keeps its earlier outcome here, marked superseded by the reopening;
    the audit trail is the single source, so this history cannot drift from it.
    """
    rows = _OUTCOME_ROWS.objects(complaint.pk)
    events: list[OutcomeEvent] = []
    last: tuple[str, datetime | None] = ("", None)
    for row in rows:
        key = (row.outcome, row.outcome_at)
        if row.outcome and key != last:
            user = row.history_user
            who = (user.get_full_name() or user.username) if user else "system"
            source = (row.history_change_reason or "").removeprefix("complaint.")
            events.append(
                OutcomeEvent(
                    outcome=row.outcome,
                    label=Outcome(row.outcome).label,
                    at=row.outcome_at,
                    source=source.replace("_", " "),
                    recorded_by=who,
                )
            )
        elif row.history_change_reason == "complaint.reopen" and events:
            prev = events[-1]
            if prev.superseded_at is None:
                events[-1] = replace(
                    prev, superseded_at=row.history_date, superseded_reason="Complaint reopened"
                )
        last = key
    return events


# --- redress --------------------------------------------------------------------------------


def redress_items(complaint: Complaint, today: date) -> list[RedressItem]:
    # Each item knows its complaint, as the related manager's would: the API's
    # complaint_reference costs no query per item.
    items = _REDRESS_ITEMS.objects(complaint.pk, today)
    for item in items:
        item.complaint = complaint
    return items


def overdue_redress(complaints: QuerySet[Complaint], today: date) -> QuerySet[RedressItem]:
    """Accepted redress past the payment target, oldest due first (DISP 1.4.1R(5))."""
    return (
        RedressItem.objects.filter(complaint__in=complaints)
        .overdue(today)
        .with_overdue(today)
        .select_related("complaint", "complaint__owner")
        .order_by("payment_due_on", "pk")
    )


def ledger(
    complaints: QuerySet[Complaint], today: date, *, status: str = "", overdue: bool = False
) -> QuerySet[RedressItem]:
    qs = RedressItem.objects.filter(complaint__in=complaints).with_overdue(today)
    if overdue:
        qs = qs.overdue(today)
    elif status:
        qs = qs.filter(status=status)
    return qs.select_related("complaint", "complaint__owner").order_by("-offered_at", "-pk")


def ledger_totals(complaints: QuerySet[Complaint], today: date) -> dict[str, Any]:
    return RedressItem.objects.filter(complaint__in=complaints).aggregate(
        offered=Sum("amount_gbp", filter=Q(status=RedressStatus.OFFERED)),
        accepted=Sum("amount_gbp", filter=Q(status=RedressStatus.ACCEPTED)),
        paid=Sum("amount_gbp", filter=Q(status=RedressStatus.PAID)),
        overdue=Count("pk", filter=Q(status=RedressStatus.ACCEPTED, payment_due_on__lt=today)),
    )


def upheld_without_redress_decision(complaints: QuerySet[Complaint]) -> QuerySet[Complaint]:
    """Upheld or partly upheld outcomes with nothing on the ledger and no recorded reason why
    none is appropriate, and goodwill outcomes without a goodwill payment: the DISP 1.4.1R(3)
    flag shown when the rule is not enforced at the response."""
    items = RedressItem.objects.filter(complaint=OuterRef("pk"))
    no_redress = NoRedressDecision.objects.filter(complaint=OuterRef("pk"))
    return complaints.filter(
        Q(
            outcome__in=[Outcome.UPHELD, Outcome.PARTIALLY_UPHELD],
            status__in=[Status.RESOLVED_SUMMARY, Status.FINAL_RESPONSE_SENT, Status.CLOSED],
        )
        & ~Exists(items)
        & ~Exists(no_redress)
        | Q(outcome=Outcome.GOODWILL) & ~Exists(items.filter(kind=RedressKind.GOODWILL))
    ).order_by("outcome_at", "pk")


# --- root causes ----------------------------------------------------------------------------


@dataclass(frozen=True)
class TreeNode:
    node: RootCause
    depth: int
    path: str


def root_cause_tree(firm_id: int, *, active_only: bool = False) -> list[TreeNode]:
    """The firm's taxonomy in tree order (parents before children, siblings by name)."""
    nodes = _ROOT_CAUSES.objects(firm_id)
    children: dict[int | None, list[RootCause]] = {}
    for node in nodes:
        children.setdefault(node.parent_id, []).append(node)
    out: list[TreeNode] = []

    def walk(parent_id: int | None, depth: int, prefix: str) -> None:
        for node in children.get(parent_id, []):
            if active_only and not node.active:
                continue
            path = f"{prefix} › {node.name}" if prefix else node.name
            out.append(TreeNode(node, depth, path))
            walk(node.pk, depth + 1, path)

    walk(None, 0, "")
    return out


def descendant_ids(root_cause: RootCause) -> set[int]:
    found = {root_cause.pk}
    pairs = list(
        RootCause.objects.filter(firm_id=root_cause.firm_id).values_list("pk", "parent_id")
    )
    grew = True
    while grew:
        new = {pk for pk, parent in pairs if parent in found} - found
        found |= new
        grew = bool(new)
    return found


def root_cause_links(complaint: Complaint) -> list[ComplaintRootCause]:
    return _ROOT_CAUSE_LINKS.objects(complaint.pk)


# --- incidents ------------------------------------------------------------------------------


def incidents(firm_ids: list[int]) -> QuerySet[Incident]:
    return (
        Incident.objects.filter(firm_id__in=firm_ids)
        .select_related("firm")
        .annotate(
            linked=Count("links", distinct=True),
            still_received=Count(
                "links", filter=Q(links__complaint__status=Status.RECEIVED), distinct=True
            ),
            open_complaints=Count(
                "links",
                filter=Q(links__complaint__status__in=Status.open_states()),
                distinct=True,
            ),
        )
        .order_by("-started_at", "pk")
    )


def incident_complaints(incident: Incident) -> QuerySet[Complaint]:
    return (
        Complaint.objects.filter(incident_links__incident=incident)
        .select_related("complainant", "owner")
        .order_by("received_at", "pk")
    )


def incident_links_for(complaint: Complaint) -> list[IncidentLink]:
    return _INCIDENT_LINKS.objects(complaint.pk)


def complaint_search(
    complaints: QuerySet[Complaint],
    *,
    reference: str = "",
    text: str = "",
    received_from: date | None = None,
    received_to: date | None = None,
    activity: str = "",
) -> QuerySet[Complaint]:
    """The search behind bulk linking: reference, free text (description or complainant),
    received between two dates (inclusive, Europe/London) and activity."""
    qs = complaints
    if reference.strip():
        qs = qs.filter(reference__icontains=reference.strip())
    if text.strip():
        qs = qs.filter(
            Q(description__icontains=text.strip()) | Q(complainant__name__icontains=text.strip())
        )
    if received_from:
        qs = qs.filter(
            received_at__gte=datetime.combine(received_from, datetime.min.time(), LONDON)
        )
    if received_to:
        end = datetime.combine(received_to + timedelta(days=1), datetime.min.time(), LONDON)
        qs = qs.filter(received_at__lt=end)
    if activity:
        qs = qs.filter(activity=activity)
    return qs.select_related("complainant").order_by("received_at", "pk")


# --- action register ------------------------------------------------------------------------


def actions(firm_ids: list[int]) -> QuerySet[RemediationAction]:
    return RemediationAction.objects.filter(firm_id__in=firm_ids).select_related(
        "owner", "root_cause__parent__parent", "incident"
    )


@dataclass(frozen=True)
class Effectiveness:
    fix_date: date
    window_days: int
    before_from: date
    after_to: date
    before: int
    after: int
    complete: bool

    @property
    def change_pct(self) -> Decimal | None:
        if not self.before:
            return None
        return (Decimal(self.after - self.before) * 100 / self.before).quantize(Decimal("1"))


def action_effectiveness(action: RemediationAction, today: date) -> Effectiveness | None:
    """Complaints with the action's root cause (or one beneath it), received in equal windows
    before and after the fix date. The window runs from the fix to the review date; before the
    review date it is the days elapsed so far, and the comparison is marked incomplete."""
    if action.fix_date is None or action.root_cause is None:
        return None
    fix = action.fix_date
    end = min(action.review_on, today)
    days = max((end - fix).days, 1)
    before_from = fix - timedelta(days=days)
    after_to = fix + timedelta(days=days)
    causes = descendant_ids(action.root_cause)

    def start(d: date) -> datetime:
        return datetime.combine(d, datetime.min.time(), LONDON)

    counts = (
        Complaint.objects.countable()
        .filter(firm_id=action.firm_id, root_cause_links__root_cause_id__in=causes)
        .aggregate(
            before=Count(
                "pk",
                filter=Q(received_at__gte=start(before_from), received_at__lt=start(fix)),
                distinct=True,
            ),
            after=Count(
                "pk",
                filter=Q(received_at__gte=start(fix), received_at__lt=start(after_to)),
                distinct=True,
            ),
        )
    )
    return Effectiveness(
        fix_date=fix,
        window_days=days,
        before_from=before_from,
        after_to=after_to - timedelta(days=1),
        before=counts["before"],
        after=counts["after"],
        complete=today >= action.review_on,
    )


# --- the complaint panel ---------------------------------------------------------------------


@dataclass
class ComplaintRemediation:
    items: list[RedressItem]
    no_redress: NoRedressDecision | None
    decision_gap: str
    root_causes: list[ComplaintRootCause]
    incident_links: list[IncidentLink]
    outcomes: list[OutcomeEvent]

    @property
    def has_overdue(self) -> bool:
        return any(getattr(i, "is_overdue", False) for i in self.items)


def complaint_remediation(complaint: Complaint, today: date) -> ComplaintRemediation:
    gap = redress_decision_gap(complaint, complaint.outcome) if complaint.outcome else None
    return ComplaintRemediation(
        items=redress_items(complaint, today),
        no_redress=next(iter(_NO_REDRESS.objects(complaint.pk)), None),
        decision_gap=gap.message if gap else "",
        root_causes=root_cause_links(complaint),
        incident_links=incident_links_for(complaint),
        outcomes=outcome_history(complaint),
    )
