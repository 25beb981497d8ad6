"""What a supervisor's inbox holds: one definition per section, read by the page, its full
lists and the navigation's count, so the three always agree.

Each section is a query of one firm's rows (``rows``), the permission that shows it, and how
one row reads (``item``). Counting every visible section is one query (``section_counts``);
a page of one section is one more. Nothing here writes.

The rules, in words:

- **Letters awaiting approval**: the firm's letters submitted for four-eyes approval and not
  yet approved, returned or discarded; oldest submission first.
- **Breached**: open complaints whose DISP response date (``Complaint.response_deadline``: the
  final response date, or the date a holding response set) has passed. A missed SRC window is
  not a breach (DISP 1.5.1R): the final response is then due, so it is not counted.
- **Near breach**: open complaints whose response date is today or within the queue's "due
  soon" band (``SOON_BUSINESS_DAYS`` business days in the firm's calendar), the amber the
  queue shows.
- **Unassigned**: open complaints nobody owns, nearest response date first.
- **Returns awaiting approval**: SUP 16.34 returns whose latest version is a computed draft
  (four eyes: another approver must approve it before it is submitted).
- **This week's FOS deadlines**: deadlines the FOS set the firm, not yet met, falling Monday to
  Sunday of the current UK week.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from functools import cached_property
from typing import Any

from django.db.models import F, IntegerField, QuerySet, Subquery
from django.urls import reverse

from common.dates import london_date, uk_date, uk_datetime
from complaints.access import ROLE_PERMISSIONS, Perm
from complaints.choices import Status
from complaints.deadlines import calendar_for_nation
from complaints.disp.calendar import BusinessCalendar
from complaints.models import Complaint, Firm
from complaints.selectors.deadlines import (
    NONE,
    SOON_BUSINESS_DAYS,
    URGENCY_LABELS,
    business_countdown,
    urgency_for,
)
from fos.models import FosDeadline
from fos.selectors import deadline_state
from letters.choices import LetterStatus
from letters.models import Letter
from reporting.choices import VersionStatus
from reporting.models import Sup16Return


@dataclass
class InboxScope:
    """One firm's inbox at one moment. The business-day calendar is read (one query) only by
    the sections that need it."""

    firm: Firm
    now: datetime

    @cached_property
    def today(self) -> date:
        return london_date(self.now)

    @cached_property
    def calendar(self) -> BusinessCalendar:
        return calendar_for_nation(self.firm.nation)

    @cached_property
    def near_until(self) -> date:
        """The last response date still "near": the queue's due-soon band."""
        return self.calendar.nth_business_day_after(self.today, SOON_BUSINESS_DAYS)

    @property
    def week(self) -> tuple[date, date]:
        """Monday and Sunday of the current UK week."""
        monday = self.today - timedelta(days=self.today.weekday())
        return monday, monday + timedelta(days=6)


@dataclass(frozen=True)
class InboxItem:
    """One row as the inbox shows it: what it is, where it is dealt with, and its date."""

    title: str
    url: str
    detail: str = ""
    due: date | None = None
    due_text: str = ""
    urgency: str = NONE

    @property
    def urgency_label(self) -> str:
        return URGENCY_LABELS.get(self.urgency, "")


@dataclass(frozen=True)
class Section:
    key: str
    title: str
    perm: Perm
    empty: str
    rows: Callable[[InboxScope], QuerySet[Any]]
    item: Callable[[Any, InboxScope], InboxItem]


def _person(user: Any) -> str:
    if user is None:
        return "nobody recorded"
    return user.get_full_name() or user.get_username()


def _complaint_due(due: date | None, scope: InboxScope) -> tuple[str, str]:
    """(wording, urgency) of a DISP response date, as the queue colours it."""
    if due is None:
        return "No DISP response date", NONE
    countdown = business_countdown(due, today=scope.today, calendar=scope.calendar)
    return (
        f"Response due {uk_date(due)} · {countdown}",
        urgency_for(due, today=scope.today, calendar=scope.calendar),
    )


# --- letters awaiting approval ------------------------------------------------------------


def _letters(scope: InboxScope) -> QuerySet[Letter]:
    return (
        Letter.objects.filter(
            complaint__firm_id=scope.firm.pk, status=LetterStatus.AWAITING_APPROVAL
        )
        .select_related("complaint", "created_by")
        .defer("pdf", "html", "body_text", "check_results")
        .order_by("submitted_at", "id")
    )


def _letter_item(letter: Letter, scope: InboxScope) -> InboxItem:
    due_text, urgency = _complaint_due(letter.complaint.response_deadline, scope)
    return InboxItem(
        title=f"{letter.get_letter_type_display()}: {letter.complaint.reference}",
        url=reverse("letters:letter", args=[letter.pk]),
        detail=f"Submitted {uk_datetime(letter.submitted_at)}, drafted by "
        f"{_person(letter.created_by)}",
        due=letter.complaint.response_deadline,
        due_text=due_text,
        urgency=urgency,
    )


# --- complaints: breached, near breach, unassigned ----------------------------------------


def _open_complaints(scope: InboxScope) -> QuerySet[Complaint]:
    return Complaint.objects.filter(
        firm_id=scope.firm.pk, status__in=Status.open_states()
    ).select_related("complainant", "owner")


def _breached(scope: InboxScope) -> QuerySet[Complaint]:
    return (
        _open_complaints(scope)
        .filter(response_deadline__lt=scope.today)
        .order_by("response_deadline", "received_at", "id")
    )


def _near(scope: InboxScope) -> QuerySet[Complaint]:
    return (
        _open_complaints(scope)
        .filter(response_deadline__gte=scope.today, response_deadline__lte=scope.near_until)
        .order_by("response_deadline", "received_at", "id")
    )


def _unassigned(scope: InboxScope) -> QuerySet[Complaint]:
    return (
        _open_complaints(scope)
        .filter(owner__isnull=True)
        .order_by(F("response_deadline").asc(nulls_last=True), "received_at", "id")
    )


def _complaint_item(complaint: Complaint, scope: InboxScope) -> InboxItem:
    due_text, urgency = _complaint_due(complaint.response_deadline, scope)
    owner = _person(complaint.owner) if complaint.owner_id else "unassigned"
    return InboxItem(
        title=f"{complaint.reference}: {complaint.complainant.name}",
        url=reverse("complaints:detail", args=[complaint.pk]),
        detail=f"Status {complaint.get_status_display().lower()} · arrived "
        f"{uk_date(complaint.received_at)} · owner: {owner}",
        due=complaint.response_deadline,
        due_text=due_text,
        urgency=urgency,
    )


# --- returns awaiting approval ------------------------------------------------------------


def _returns(scope: InboxScope) -> QuerySet[Sup16Return]:
    return (
        Sup16Return.objects.filter(
            firm_id=scope.firm.pk, latest_version__status=VersionStatus.DRAFT
        )
        .select_related("latest_version", "latest_version__computed_by")
        .order_by("due_date", "period_end", "id")
    )


def _return_item(filing: Sup16Return, scope: InboxScope) -> InboxItem:
    version = filing.latest_version
    assert version is not None  # the query asks for a draft latest version
    trial = " (trial: before the firm's reporting starts)" if filing.is_trial else ""
    return InboxItem(
        title=f"SUP 16.34 return for the period ending {uk_date(filing.period_end)}, "
        f"version {version.number}{trial}",
        url=reverse("reporting:return_detail", args=[filing.pk]),
        detail=f"Computed {uk_datetime(version.computed_at)} by {_person(version.computed_by)}",
        due=filing.due_date,
        due_text=f"Due to the FCA {uk_date(filing.due_date)} · "
        + business_countdown(filing.due_date, today=scope.today, calendar=scope.calendar),
        urgency=urgency_for(filing.due_date, today=scope.today, calendar=scope.calendar),
    )


# --- this week's FOS deadlines ------------------------------------------------------------


def _fos_week(scope: InboxScope) -> QuerySet[FosDeadline]:
    monday, sunday = scope.week
    return (
        FosDeadline.objects.filter(
            firm_id=scope.firm.pk, done_at__isnull=True, due_on__range=(monday, sunday)
        )
        .select_related("referral__complaint")
        .order_by("due_on", "id")
    )


def _fos_item(deadline: FosDeadline, scope: InboxScope) -> InboxItem:
    referral = deadline.referral
    fos_ref = f" (FOS {referral.fos_reference})" if referral.fos_reference else ""
    return InboxItem(
        title=f"{deadline.description}: {referral.complaint.reference}{fos_ref}",
        url=reverse("fos:detail", args=[referral.pk]),
        detail=f"Set by the FOS{': ' + deadline.source if deadline.source else ''}",
        due=deadline.due_on,
        due_text=f"Due {uk_date(deadline.due_on)}",
        urgency=deadline_state(deadline.due_on, scope.today),
    )


SECTIONS: tuple[Section, ...] = (
    Section(
        "letters",
        "Letters awaiting approval",
        Perm.APPROVE_LETTERS,
        "No letter is waiting for approval.",
        _letters,
        _letter_item,
    ),
    Section(
        "breached",
        "Breached: response date passed",
        Perm.REVIEW_AUDIT,
        "No open complaint has passed its response date.",
        _breached,
        _complaint_item,
    ),
    Section(
        "near",
        f"Near breach: response due within {SOON_BUSINESS_DAYS} business days",
        Perm.REVIEW_AUDIT,
        "No open complaint's response is due this soon.",
        _near,
        _complaint_item,
    ),
    Section(
        "unassigned",
        "Unassigned complaints",
        Perm.ASSIGN_COMPLAINTS,
        "Every open complaint has an owner.",
        _unassigned,
        _complaint_item,
    ),
    Section(
        "returns",
        "Returns awaiting approval",
        Perm.APPROVE_RETURNS,
        "No return is waiting for approval.",
        _returns,
        _return_item,
    ),
    Section(
        "fos_week",
        "This week's FOS deadlines",
        Perm.MANAGE_FOS,
        "No FOS deadline falls this week.",
        _fos_week,
        _fos_item,
    ),
)
BY_KEY = {s.key: s for s in SECTIONS}

# Who may open the inbox at all: every role that sees at least one of its sections and looks
# after the firm rather than a caseload (supervisors, reporting officers, firm admins).
INBOX_PERM = Perm.VIEW_MI


def visible_sections(role: str | None) -> list[Section]:
    """The sections a role's permissions show (none without the inbox permission)."""
    if role is None or INBOX_PERM not in ROLE_PERMISSIONS[role]:
        return []
    return [s for s in SECTIONS if s.perm in ROLE_PERMISSIONS[role]]


class _Count(Subquery):
    template = "(SELECT count(*) FROM (%(subquery)s) _rows)"
    output_field = IntegerField()


def section_counts(sections: Iterable[Section], scope: InboxScope) -> dict[str, int]:
    """Each section's number of rows, in one query whatever the rows."""
    wanted = list(sections)
    if not wanted:
        return {}
    counts = {s.key: _Count(s.rows(scope).order_by().values("pk")) for s in wanted}
    row = Firm.objects.filter(pk=scope.firm.pk).values(**counts).first()
    found: dict[str, Any] = dict(row) if row else {}
    return {s.key: int(found.get(s.key) or 0) for s in wanted}


def section_items(section: Section, scope: InboxScope, rows: Iterable[Any]) -> list[InboxItem]:
    return [section.item(row, scope) for row in rows]
