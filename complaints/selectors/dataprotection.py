"""What the complaint page, the API and the queue read about data-protection complaints and
subject access requests: each record with its clock and how urgent it is (no DISP dates)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.db.models import prefetch_related_objects
from django.urls import reverse

from common.compiled import ANY_ID, Compiled, CompiledByIds
from common.dates import london_date, uk_date

from ..deadlines import calendar_for_firm, calendars_by_nation
from ..disp.calendar import BusinessCalendar
from ..dpa import clock
from ..models import Communication, Complaint, DataProtectionComplaint, SubjectAccessRequest
from .deadlines import NONE, URGENCY_LABELS, urgency_for


@dataclass(frozen=True)
class DpaView:
    record: DataProtectionComplaint
    acknowledged_on: date | None
    outcome_on: date | None
    urgency: str  # of the acknowledgement, while it is owed
    status: str

    @property
    def urgency_label(self) -> str:
        return URGENCY_LABELS[self.urgency]


@dataclass(frozen=True)
class SarView:
    record: SubjectAccessRequest
    clock: clock.SarClock
    urgency: str
    status: str
    open_pause: object | None

    @property
    def urgency_label(self) -> str:
        return URGENCY_LABELS[self.urgency]


@dataclass(frozen=True)
class DataProtectionSummary:
    complaints: list[DpaView]
    requests: list[SarView]


def _day(comm: Communication | None) -> date | None:
    return london_date(comm.sent_at) if comm is not None else None


def dpa_view(record: DataProtectionComplaint, today: date, calendar: BusinessCalendar) -> DpaView:
    acknowledged, outcome = _day(record.acknowledgement), _day(record.outcome)
    due = record.acknowledgement_due
    if outcome is not None:
        status, urgency = f"Outcome sent {uk_date(outcome)}", NONE
    elif acknowledged is not None:
        late = " (late)" if acknowledged > due else ""
        status, urgency = f"Acknowledged {uk_date(acknowledged)}{late}; outcome owed", NONE
    else:
        status = f"Acknowledgement due by {uk_date(due)} ({clock.S164A_ACK})"
        urgency = urgency_for(due, today=today, calendar=calendar)
    return DpaView(record, acknowledged, outcome, urgency, status)


def sar_view(record: SubjectAccessRequest, today: date, calendar: BusinessCalendar) -> SarView:
    sar = record.sar_clock(calendar)
    open_pause = next((p for p in record.pauses.all() if p.answered_on is None), None)
    urgency = NONE
    if record.answered_on is not None:
        late = " (late)" if sar.response_due and record.answered_on > sar.response_due else ""
        status = f"Answered {uk_date(record.answered_on)}{late}"
    elif sar.starts_on is None:
        status = "Waiting for identity: the month has not begun"
    elif sar.stopped:
        status = "Clock stopped while the scope is clarified"
    else:
        assert sar.response_due is not None
        status = f"Answer due by {uk_date(sar.response_due)} ({sar.basis})"
        urgency = urgency_for(sar.response_due, today=today, calendar=calendar)
    return SarView(record, sar, urgency, status, open_pause)


# Both lists' reads, compiled once per process (issue 18): a complaint id no row has marks
# where each page binds its own.
_DPA_COMPLAINTS = Compiled(
    DataProtectionComplaint.objects.filter(complaint_id=ANY_ID).select_related(
        "acknowledgement", "outcome"
    ),
    ANY_ID,
)
_SARS = Compiled(
    SubjectAccessRequest.objects.filter(complaint_id=ANY_ID).select_related("extension_notice"),
    ANY_ID,
)


def data_protection_summary(
    complaint: Complaint, today: date, calendar: BusinessCalendar | None = None
) -> DataProtectionSummary:
    """Both lists for one complaint (three queries, two given the firm's calendar)."""
    calendar = calendar or calendar_for_firm(complaint.firm)
    complaints = _DPA_COMPLAINTS.objects(complaint.pk)
    requests = _SARS.objects(complaint.pk)
    for dpa in complaints:
        dpa.complaint = complaint  # as the related manager's rows know it
    for sar in requests:
        sar.complaint = complaint
    prefetch_related_objects(requests, "pauses")
    return DataProtectionSummary(
        [dpa_view(r, today, calendar) for r in complaints],
        [sar_view(r, today, calendar) for r in requests],
    )


@dataclass(frozen=True)
class DataProtectionDeadlineRow:
    """A data-protection deadline as the queue lists it (``QueueDeadline``)."""

    complaint_id: int
    complaint_reference: str
    label: str
    due: date
    due_display: str
    state: str
    rule: str
    url: str


# What a row names of its complaint: not the complaint's and its firm's every column.
_ROW_COMPLAINT = ("complaint__reference", "complaint__firm__nation")


# The queue's reads of the firms' open clocks, compiled once per number of firms (issue 18).
_OPEN_ACKS = CompiledByIds(
    lambda _, firm_ids: DataProtectionComplaint.objects.filter(
        complaint__firm_id__in=firm_ids, acknowledgement__isnull=True, outcome__isnull=True
    )
    .select_related("complaint__firm")
    .only("acknowledgement_due", *_ROW_COMPLAINT)
)
_OPEN_SARS = CompiledByIds(
    lambda _, firm_ids: SubjectAccessRequest.objects.filter(
        complaint__firm_id__in=firm_ids, answered_on__isnull=True, response_due__isnull=False
    )
    .select_related("complaint__firm")
    .only("response_due", *_ROW_COMPLAINT)
)


def open_data_protection_deadlines(
    firm_ids: list[int], today: date
) -> list[DataProtectionDeadlineRow]:
    """Acknowledgements owed (s.164A(3)) and unanswered subject access requests with a running
    clock (Art 12(3)), for the queue's other deadlines (three queries, the calendars in one)."""
    rows: list[DataProtectionDeadlineRow] = []
    acks = _OPEN_ACKS.objects(None, firm_ids)
    sars = _OPEN_SARS.objects(None, firm_ids)
    items = [
        (
            r.complaint,
            "Acknowledge the data-protection complaint",
            r.acknowledgement_due,
            clock.S164A_ACK,
        )
        for r in acks
    ] + [
        (r.complaint, "Answer the subject access request", r.response_due, clock.ART_12_3)
        for r in sars
    ]
    calendars = calendars_by_nation() if items else {}
    for complaint, label, due, rule in items:
        assert due is not None
        urgency = urgency_for(due, today=today, calendar=calendars[complaint.firm.nation])
        rows.append(
            DataProtectionDeadlineRow(
                complaint_id=complaint.pk,
                complaint_reference=complaint.reference,
                label=label,
                due=due,
                due_display=uk_date(due),
                state=urgency,
                rule=rule,
                url=reverse("complaints:detail", args=[complaint.pk]) + "#data-protection",
            )
        )
    return rows
