"""Deadline wording for the complaint handler: what to meet next, how long is left, how urgent.

No queries: the caller builds the business-day calendar once and passes it in.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from django.db.models import QuerySet

from common.dates import london_date, uk_close_of_business, uk_date, uk_datetime

from ..choices import Outcome, Regime, Status
from ..disp.calendar import BusinessCalendar
from ..models import BankHoliday, Complaint

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
    label = {
        "extended_final_response": "Final response (after holding response)",
        "promised_final_response": "Promised final response",
    }.get(kind, "Final response")
    return DeadlineView(
        _response_phrase(label, due, today),
        f"{uk_date(due)} · {countdown}",
        urgency_for(due, today=today, calendar=calendar),
        due,
    )


def _time_bar_state(c: Complaint) -> DeadlineView:
    """DISP 1.8 / DISP 2.8.2R(2): the time bar is a fact about when the complaint arrived, not
    a date to meet, so it is never "Due soon". A complaint received after it may be rejected,
    but only in a final response under DISP 1.6.2R (disp-rules.md §2.9, from the CP summary;
    the Handbook text of DISP 1.8 was not found in the stored material): that date is the final
    response row's, and once the rejection is sent nothing is due."""
    if not c.received_out_of_time:  # judged on the London arrival date (DISP 2.8.2R(2))
        return DeadlineView("Received within the limit")
    if c.outcome == Outcome.TIME_BARRED and c.final_response_sent_at:
        return DeadlineView(
            f"Received after the limit: rejected under DISP 1.8 on "
            f"{uk_date(london_date(c.final_response_sent_at))}"
        )
    if c.is_complaint and c.status in Status.open_states():
        return DeadlineView("Received after the limit: may be rejected under DISP 1.8")
    return DeadlineView("Received after the limit")


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

    def final_sent(last_day: date) -> DeadlineView:
        """The state of a final response deadline once the final response is sent."""
        assert c.final_response_sent_at is not None
        sent = uk_datetime(c.final_response_sent_at)
        if london_date(c.final_response_sent_at) > last_day:
            return DeadlineView(f"Sent late: {sent}", urgency=BREACHED)
        return DeadlineView(f"Met: final response sent {sent}")

    psd_holding = c.regime == Regime.PSD_EMD and c.holding_response_sent_at is not None
    if c.final_response_sent_at:
        # DISP 1.6.2AR(2): after a PSD/EMD holding response the later date is the one to meet
        # (always stored for PSD/EMD complaints).
        final = final_sent(
            (c.extended_final_response_due if psd_holding else None) or c.final_response_due
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

    # DISP 1.6.2R(2)(a): the date the 8-week holding response promised is the firm's own deadline.
    if promised := c.expected_final_response_on:
        if c.final_response_sent_at:
            kept = final_sent(promised)
        elif c.status == Status.HOLDING_RESPONSE_SENT:
            kept = live(promised)
        else:
            kept = DeadlineView(f"Not needed ({c.get_status_display().lower()})")
        add("promised_final_response", promised, uk_date(promised), kept)

    days = (c.fos_referral_open_from - today).days
    fos_state = DeadlineView("Open now" if days <= 0 else f"in {_plural(days, 'day')}")
    add(
        "fos_referral_open_from",
        c.fos_referral_open_from,
        uk_date(c.fos_referral_open_from),
        fos_state,
    )
    if c.time_bar_date:
        add(
            "time_bar",
            c.time_bar_date,
            uk_date(c.time_bar_date),
            _time_bar_state(c),
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


def proclaimed_bank_holidays() -> QuerySet[BankHoliday]:
    """Every recorded proclamation (days added and bank holidays moved), newest day first, with
    who entered it: the calendar page and API list them."""
    return BankHoliday.objects.select_related("created_by").order_by("-date", "nation")
