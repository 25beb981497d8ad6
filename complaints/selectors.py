"""Reads for the complaint handler's UI: the work queue, deadline wording, the timeline.

Every read starts from ``complaints.access`` so it is scoped to the user's firms. Nothing here
writes. Query counts are fixed per page: rows come with their complainant and owner joined, the
business-day calendar is built once by the caller and passed in, and the timeline loads each
source (history, communications, notes, owners) in one query.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db.models import Exists, F, OuterRef, Q, QuerySet

from common.dates import london_date, uk_close_of_business, uk_date, uk_datetime

from . import access
from .choices import (
    Activity,
    Channel,
    DeliveryMethod,
    ForwardPart,
    Nation,
    Outcome,
    ReceivedVia,
    Regime,
    Relationship,
    Status,
)
from .disp.calendar import BusinessCalendar
from .models import Communication, Complainant, Complaint, Membership, Note

# --- deadline wording ----------------------------------------------------------------------

BREACHED, SOON, LATER, NONE = "breached", "soon", "later", "none"
URGENCY_LABELS = {BREACHED: "Breached", SOON: "Due soon", LATER: "On track", NONE: ""}
# "Due soon" means within this many business days (the queue's amber band).
SOON_BUSINESS_DAYS = 2


@dataclass(frozen=True)
class DeadlineView:
    """A deadline as a handler reads it, with an urgency that never relies on colour alone."""

    text: str
    detail: str = ""
    urgency: str = NONE
    due: date | None = None

    @property
    def urgency_label(self) -> str:
        return URGENCY_LABELS[self.urgency]


def _plural(n: int, word: str) -> str:
    return f"{n} {word}" if n == 1 else f"{n} {word}s"


def business_countdown(due: date, *, today: date, calendar: BusinessCalendar) -> str:
    """ "3 business days left" / "due today" / "2 business days overdue" (no queries)."""
    if due == today:
        return "due today"
    days = calendar.business_days_between(today, due)
    if due > today:
        return f"{_plural(days, 'business day')} left" if days else "no business day left"
    return f"{_plural(-days, 'business day')} overdue" if days else "overdue"


def urgency_for(due: date, *, today: date, calendar: BusinessCalendar) -> str:
    if due < today:
        return BREACHED
    if calendar.business_days_between(today, due) <= SOON_BUSINESS_DAYS:
        return SOON
    return LATER


def _response_phrase(label: str, due: date, today: date) -> str:
    days = (due - today).days
    if days < 0:
        return f"{label} overdue since {uk_date(due)}"
    if days == 0:
        return f"{label} due today"
    if days == 1:
        return f"{label} due tomorrow"
    return f"{label} due in {days} days"


def describe_next_deadline(
    complaint: Complaint, *, now: datetime, today: date, calendar: BusinessCalendar
) -> DeadlineView:
    """The next DISP deadline of a row annotated by ``with_next_deadline(today)``."""
    kind = getattr(complaint, "next_deadline_kind", "")
    due = getattr(complaint, "next_deadline", None)
    # The SRC window closes at close of business, not midnight: after it, the final response
    # is what the handler must meet next.
    if kind == "src" and complaint.src_deadline_at and now > complaint.src_deadline_at:
        kind, due = "final_response", complaint.final_response_due
    if not kind or due is None:
        if complaint.status in Status.open_states() and not complaint.is_complaint:
            return DeadlineView("No DISP deadline (feedback or query)")
        return DeadlineView("No deadline: response sent" if complaint.outcome else "No deadline")
    countdown = business_countdown(due, today=today, calendar=calendar)
    if kind == "src":
        return DeadlineView(
            f"SRC by close of business {uk_date(due)}",
            countdown,
            urgency_for(due, today=today, calendar=calendar),
            due,
        )
    label = (
        "Final response (after holding response)"
        if kind == "extended_final_response"
        else "Final response"
    )
    return DeadlineView(
        _response_phrase(label, due, today),
        f"{uk_date(due)} · {countdown}",
        urgency_for(due, today=today, calendar=calendar),
        due,
    )


@dataclass(frozen=True)
class DeadlineRow:
    key: str
    label: str
    when: str
    rule: str
    basis: str
    state: DeadlineView


def complaint_deadlines(
    complaint: Complaint, *, now: datetime, calendar: BusinessCalendar
) -> list[DeadlineRow]:
    """Every stored deadline with its rule, basis and a business-day countdown or its state."""
    today = london_date(now)
    rules = complaint.deadline_rules or {}
    c = complaint
    early = {Status.RECEIVED, Status.ACKNOWLEDGED, Status.INVESTIGATING}
    rows: list[DeadlineRow] = []

    def live(due: date) -> DeadlineView:
        return DeadlineView(
            business_countdown(due, today=today, calendar=calendar),
            urgency=urgency_for(due, today=today, calendar=calendar),
            due=due,
        )

    def add(key: str, due: date | None, when: str, state: DeadlineView) -> None:
        if due is None or key not in rules:
            return
        rule = rules[key]
        rows.append(DeadlineRow(key, rule["label"], when, rule["rule"], rule["basis"], state))

    # DISP 1.5.1R: missing the SRC window is not a breach; the complaint then needs a
    # final response under DISP 1.6.
    if c.src_sent_at:
        src = DeadlineView(f"Met: SRC sent {uk_datetime(c.src_sent_at)}")
    elif not c.is_complaint:
        src = DeadlineView("Not applicable (feedback or query)")
    elif c.status not in early:
        src = DeadlineView("Not used")
    elif now > c.src_deadline_at:
        src = DeadlineView("Window closed: send a final response")
    else:
        src = live(c.src_deadline)
    add("summary_resolution", c.src_deadline, uk_close_of_business(c.src_deadline), src)

    psd = c.regime == Regime.PSD_EMD
    if c.final_response_sent_at:
        final = DeadlineView(f"Met: final response sent {uk_datetime(c.final_response_sent_at)}")
        if c.final_response_sent_at and london_date(c.final_response_sent_at) > (
            c.extended_final_response_due
            if psd and c.holding_response_sent_at
            else c.final_response_due
        ):
            final = DeadlineView(
                f"Sent late: {uk_datetime(c.final_response_sent_at)}", urgency=BREACHED
            )
    elif c.holding_response_sent_at:
        final = DeadlineView(
            f"Met: holding response sent {uk_datetime(c.holding_response_sent_at)}"
        )
    elif not c.is_complaint:
        final = DeadlineView("Not applicable (feedback or query)")
    elif c.status in (Status.RESOLVED_SUMMARY, Status.FORWARDED, Status.WITHDRAWN, Status.CLOSED):
        final = DeadlineView(f"Not needed ({c.get_status_display().lower()})")
    else:
        final = live(c.final_response_due)
    add("final_response", c.final_response_due, uk_date(c.final_response_due), final)

    if c.extended_final_response_due:
        if c.holding_response_sent_at and not c.final_response_sent_at:
            extended = live(c.extended_final_response_due)
        elif c.holding_response_sent_at:
            extended = DeadlineView("Met")
        else:
            extended = DeadlineView("Applies only after a holding response")
        add(
            "extended_final_response",
            c.extended_final_response_due,
            uk_date(c.extended_final_response_due),
            extended,
        )

    days = (c.fos_referral_open_from - today).days
    fos_state = DeadlineView("Open now" if days <= 0 else f"in {_plural(days, 'day')}")
    add(
        "fos_referral_open_from",
        c.fos_referral_open_from,
        uk_date(c.fos_referral_open_from),
        fos_state,
    )
    if c.time_bar_date:
        barred = c.receipt_date > c.time_bar_date
        add(
            "time_bar",
            c.time_bar_date,
            uk_date(c.time_bar_date),
            DeadlineView(
                "Received after the limit: may be rejected under DISP 1.8"
                if barred
                else "Received within the limit",
                urgency=SOON if barred else NONE,
            ),
        )
    if c.fos_six_month_deadline:
        left = (c.fos_six_month_deadline - today).days
        add(
            "fos_six_month",
            c.fos_six_month_deadline,
            uk_date(c.fos_six_month_deadline),
            DeadlineView("Passed" if left < 0 else f"in {_plural(left, 'day')}"),
        )
    return rows


# --- work queue ----------------------------------------------------------------------------

# A registry kept on purpose: the FOS tracker, above this app, adds rows to the handler's queue
# (the response dates the FOS sets the firm): provider(firm_ids, today) -> rows with complaint_id,
# complaint_reference, label, due, due_display, state (breached/soon/later), rule and url.
_QUEUE_DEADLINE_PROVIDERS: list = []


def register_queue_deadlines(provider) -> None:
    if provider not in _QUEUE_DEADLINE_PROVIDERS:
        _QUEUE_DEADLINE_PROVIDERS.append(provider)


def other_deadlines(firm_ids: list[int], today: date) -> list:
    """Every registered provider's open deadlines, nearest first."""
    rows = [row for provider in _QUEUE_DEADLINE_PROVIDERS for row in provider(firm_ids, today)]
    return sorted(rows, key=lambda row: (row.due, row.complaint_reference))


TAB_MINE, TAB_TEAM, TAB_UNASSIGNED = "mine", "team", "unassigned"
TABS = [(TAB_MINE, "My complaints"), (TAB_TEAM, "My team's"), (TAB_UNASSIGNED, "Unassigned")]
STATUS_OPEN, STATUS_ALL = "", "all"
WINDOW_OVERDUE, WINDOW_2BD, WINDOW_7D = "overdue", "2bd", "7d"
WINDOWS = [
    (WINDOW_OVERDUE, "Overdue"),
    (WINDOW_2BD, "Due in the next 2 business days"),
    (WINDOW_7D, "Due in the next 7 days"),
]


@dataclass
class QueueFilters:
    tab: str = TAB_MINE
    status: str = STATUS_OPEN
    activity: str = ""
    owner: str = ""
    window: str = ""
    vulnerable: bool = False
    q: str = ""


def firm_members(firm_id: int) -> list[Membership]:
    return list(
        Membership.objects.filter(firm_id=firm_id, user__is_active=True)
        .select_related("user")
        .order_by("user__first_name", "user__last_name", "user__username")
    )


def queue_complaints(
    *,
    user: Any,
    membership: Membership,
    filters: QueueFilters,
    today: date,
    calendar: BusinessCalendar,
) -> QuerySet[Complaint]:
    """The work queue: nearest DISP deadline first (none last), then oldest receipt, then id."""
    qs = (
        access.complaints_for(user)
        .filter(firm_id=membership.firm_id)
        .with_next_deadline(today)
        .select_related("complainant", "owner")
    )
    if filters.tab == TAB_MINE:
        qs = qs.filter(owner=user)
    elif filters.tab == TAB_UNASSIGNED:
        qs = qs.filter(owner__isnull=True)
    elif filters.tab == TAB_TEAM and membership.team:
        # A team is the members of the firm sharing the user's Membership.team.
        same_team = Membership.objects.filter(
            user_id=OuterRef("owner_id"), firm_id=membership.firm_id, team=membership.team
        )
        qs = qs.filter(Exists(same_team))

    if filters.status == STATUS_OPEN:
        qs = qs.filter(status__in=Status.open_states())
    elif filters.status != STATUS_ALL:
        qs = qs.filter(status=filters.status)
    if filters.activity:
        qs = qs.filter(activity=filters.activity)
    if filters.owner == "none":
        qs = qs.filter(owner__isnull=True)
    elif filters.owner.isdigit():
        qs = qs.filter(owner_id=int(filters.owner))
    if filters.window == WINDOW_OVERDUE:
        qs = qs.filter(next_deadline__lt=today)
    elif filters.window == WINDOW_2BD:
        last = calendar.nth_business_day_after(today, SOON_BUSINESS_DAYS)
        qs = qs.filter(next_deadline__gte=today, next_deadline__lte=last)
    elif filters.window == WINDOW_7D:
        qs = qs.filter(next_deadline__gte=today, next_deadline__lte=today + timedelta(days=7))
    if filters.vulnerable:
        qs = qs.vulnerable()
    if q := filters.q.strip():
        qs = qs.filter(
            Q(reference__icontains=q)
            | Q(complainant__name__icontains=q)
            | Q(description__icontains=q)
        )
    return qs.order_by(F("next_deadline").asc(nulls_last=True), "received_at", "id")


@dataclass(frozen=True)
class QueueRow:
    complaint: Complaint
    deadline: DeadlineView


def queue_rows(
    complaints: list[Complaint], *, now: datetime, calendar: BusinessCalendar
) -> list[QueueRow]:
    today = london_date(now)
    return [
        QueueRow(c, describe_next_deadline(c, now=now, today=today, calendar=calendar))
        for c in complaints
    ]


# --- intake helpers ------------------------------------------------------------------------


def complainant_search(*, firm_id: int, q: str, limit: int = 10) -> list[Complainant]:
    q = q.strip()
    if len(q) < 2:
        return []
    return list(
        Complainant.objects.filter(firm_id=firm_id, anonymised_at__isnull=True)
        .filter(Q(name__icontains=q) | Q(email__iexact=q) | Q(client_reference__iexact=q))
        .order_by("name", "id")[:limit]
    )


def likely_duplicates(
    *,
    firm_id: int,
    now: datetime,
    complainant_id: int | None = None,
    name: str = "",
    email: str = "",
    client_reference: str = "",
) -> list[Complaint]:
    """Complaints in the firm from the same complainant (by record, name, e-mail or client
    reference) received within ``settings.DUPLICATE_WINDOW_DAYS`` days."""
    match = Q()
    if complainant_id:
        match |= Q(complainant_id=complainant_id)
    if name.strip():
        match |= Q(complainant__name__iexact=name.strip())
    if email.strip():
        match |= Q(complainant__email__iexact=email.strip())
    if client_reference.strip():
        match |= Q(complainant__client_reference__iexact=client_reference.strip())
    if not match:
        return []
    window = timedelta(days=getattr(settings, "DUPLICATE_WINDOW_DAYS", 30))
    return list(
        Complaint.objects.filter(firm_id=firm_id, received_at__gte=now - window)
        .filter(match)
        .select_related("complainant")
        .order_by("-received_at", "-id")[:10]
    )


# --- timeline ------------------------------------------------------------------------------

_REASONS = {
    "complaint.register": "Logged the complaint",
    "complaint.acknowledge": "Acknowledged the complaint",
    "complaint.start_investigation": "Started the investigation",
    "complaint.resolve_summary": "Resolved by summary resolution communication",
    "complaint.holding_response": "Sent a holding response",
    "complaint.final_response": "Sent the final response",
    "complaint.reject_time_barred": "Rejected as time-barred (DISP 1.8)",
    "complaint.forward": "Forwarded to another firm (DISP 1.7)",
    "complaint.withdraw": "Recorded the complainant's withdrawal",
    "complaint.close": "Closed the complaint",
    "complaint.reopen": "Reopened the complaint",
    "complaint.assign": "Changed the owner",
    "complaint.recompute_deadlines": "Recomputed the deadlines",
}
# Bookkeeping fields that change on every write and say nothing to a reader.
_TIMELINE_EXCLUDE = [
    "updated_at",
    "version",
    "deadlines_computed_at",
    "deadline_rules",
    "calendar_version",
    "created_at",
    "created_by",
]
_CHOICES: dict[str, dict[str, str]] = {
    "status": dict(Status.choices),
    "regime": dict(Regime.choices),
    "outcome": dict(Outcome.choices),
    "channel": dict(Channel.choices),
    "activity": dict(Activity.choices),
    "relationship": dict(Relationship.choices),
    "received_via": dict(ReceivedVia.choices),
    "forward_part": dict(ForwardPart.choices),
    "calendar_nation": dict(Nation.choices),
}


def readable_reason(reason: str | None) -> str:
    """``complaint.recompute_deadlines: bank holiday added`` → a sentence a supervisor reads."""
    if not reason:
        return "Changed the complaint"
    head, _, tail = reason.partition(":")
    text = _REASONS.get(head.strip())
    if text is None:
        text = head.replace(".", " ").replace("_", " ").strip().capitalize()
    return f"{text}: {tail.strip()}" if tail.strip() else text


@dataclass(frozen=True)
class Change:
    field: str
    before: str
    after: str


@dataclass
class TimelineEntry:
    at: datetime
    who: str
    what: str
    kind: str  # "history" | "communication" | "note"
    changes: list[Change] = field(default_factory=list)
    body: str = ""
    order: int = 0
    seq: int = 0


def _person(user: Any) -> str:
    if user is None:
        return "System"
    return user.get_full_name() or user.get_username()


def _format_value(name: str, value: Any, users: dict[int, Any]) -> str:
    if value in (None, ""):
        return "—"
    if name in _CHOICES:
        return _CHOICES[name].get(value, str(value))
    if name == "owner":
        return _person(users.get(value)) if value in users else f"user #{value}"
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if isinstance(value, datetime):
        return uk_datetime(value)
    if isinstance(value, date):
        return uk_date(value)
    return str(value)


def complaint_timeline(complaint: Complaint) -> list[TimelineEntry]:
    """Who did what, when, and what changed: newest first, in four queries whatever its length."""
    records = list(
        complaint.history.select_related("history_user").order_by("history_date", "history_id")
    )
    comms = list(Communication.objects.filter(complaint=complaint).select_related("sent_by"))
    notes = list(Note.objects.filter(complaint=complaint).select_related("author"))
    owner_ids = {r.owner_id for r in records if r.owner_id}
    users = {u.pk: u for u in get_user_model().objects.filter(pk__in=owner_ids)}
    verbose = {f.attname: f.verbose_name for f in Complaint._meta.concrete_fields}
    verbose["owner_id"] = "owner"

    entries: list[TimelineEntry] = []
    previous = None
    for record in records:
        changes: list[Change] = []
        if previous is not None:
            delta = record.diff_against(previous, excluded_fields=_TIMELINE_EXCLUDE)
            for change in delta.changes:
                name = change.field
                changes.append(
                    Change(
                        str(verbose.get(name, name)).capitalize(),
                        _format_value(name, change.old, users),
                        _format_value(name, change.new, users),
                    )
                )
        entries.append(
            TimelineEntry(
                at=record.history_date,
                who=_person(record.history_user),
                what=readable_reason(record.history_change_reason),
                kind="history",
                changes=changes,
                seq=len(entries),
            )
        )
        previous = record
    for comm in comms:
        entries.append(
            TimelineEntry(
                at=comm.recorded_at,
                who=_person(comm.sent_by),
                what=f"{comm.get_kind_display()} sent by {DeliveryMethod(comm.method).label}"
                f" on {uk_datetime(comm.sent_at)}",
                kind="communication",
                body=comm.summary,
                order=1,
            )
        )
    for note in notes:
        entries.append(
            TimelineEntry(
                at=note.created_at,
                who=_person(note.author),
                what="Added an internal note",
                kind="note",
                body=note.body,
                order=2,
            )
        )
    # Same-instant entries (a frozen clock, one transaction) keep the order they were written.
    entries.sort(key=lambda e: (e.at, e.order, e.seq), reverse=True)
    return entries
