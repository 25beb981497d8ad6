"""The data-protection clocks: pure date arithmetic, no Django (docs/data-protection.md).

**Complaints, DPA 2018 s.164A** (inserted by s.103 Data (Use and Access) Act 2025, in force
19 June 2026; legislation.gov.uk ukpga/2025/18/section/103): (3) "acknowledge receipt of the
complaint within the period of 30 days beginning when the complaint is received"; (4) "without
undue delay" take appropriate steps to respond and inform the complainant of the outcome; (5)
the steps include enquiries and "informing the complainant about progress". The Act sets no
date for the outcome, so this module computes none.

The sources differ on counting the 30 days. The ICO's guidance (as reproduced on uk-times.com,
"How to respond to a data protection complaint", and privacylaws.com, February 2026) starts day
one on the day *after* receipt and moves a deadline on a weekend or public holiday to the next
working day; the Act's words "beginning when the complaint is received" can be read to make the
day of receipt day one. We take the conservative reading, the earlier date: receipt + 29 days,
never moved forward. It is never later than the ICO's date (receipt + 30, then the next
working day), so a firm meeting it meets both.

**Subject access requests, UK GDPR Art 12(3)** as amended by the 2025 Act (the same terms as
DPA 2018 s.54 for Part 3, read on legislation.gov.uk): respond within one month of "the
relevant time", the latest of receipt of the request and receipt of the identity information
(or fee) the controller asked for; extendable "by two further months" for complex or numerous
requests by a notice, with reasons, given before the first month ends; and while the controller
waits for information it asked for to identify what the request covers, "the period beginning
with the day on which the controller makes the request and ending with the day on which the
controller receives the information does not count" (the stopped clock). The month is counted
as the ICO's public guidance counts it ("Time limits for responding to data protection rights
requests", ico.org.uk): from the day of receipt to the corresponding date in the next month,
the last day of that month when it has no such date, and the next working day when that date
falls on a weekend or bank holiday. The extension notice's own deadline is not moved to a
working day (the conservative reading: the Act says only "before the end of the period").
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from complaints.disp.calendar import BusinessCalendar
from complaints.disp.clock import add_months_corresponding

S164A_COMMENCEMENT = dt.date(2026, 6, 19)
ACKNOWLEDGEMENT_DAYS = 30
SAR_MONTHS = 1
SAR_EXTENSION_MONTHS = 2
S164A = "DPA 2018 s.164A"
S164A_ACK = "DPA 2018 s.164A(3)"
S164A_OUTCOME = "DPA 2018 s.164A(4)"
ART_12_3 = "UK GDPR Art 12(3)"
ART_12_EXTENSION = "UK GDPR Art 12(3) extension"
STOP_THE_CLOCK = "UK GDPR Art 12(3) stop the clock (DUAA 2025)"


def acknowledgement_due(received: dt.date) -> dt.date:
    """DPA 2018 s.164A(3): the last day to acknowledge a data-protection complaint, on the
    conservative count (the day of receipt is day one; see the module docstring)."""
    return received + dt.timedelta(days=ACKNOWLEDGEMENT_DAYS - 1)


@dataclass(frozen=True)
class Pause:
    """A stopped SAR clock: the controller asked for information to identify what the request
    covers on ``asked``; ``answered`` is when it arrived (None: still waiting)."""

    asked: dt.date
    answered: dt.date | None = None

    def days(self) -> int:
        """Days that do not count: from the day asked to the day answered, both included."""
        if self.answered is None:
            raise ValueError("an open pause has no length yet")
        return (self.answered - self.asked).days + 1


@dataclass(frozen=True)
class SarClock:
    """Where a subject access request's clock stands. ``starts_on`` None: the identity
    information asked for has not arrived, so the month has not begun. ``response_due`` None:
    not begun, or stopped by an open pause."""

    starts_on: dt.date | None
    paused_days: int
    stopped: bool
    extended: bool
    response_due: dt.date | None
    extension_notice_due: dt.date | None
    basis: str

    def is_overdue(self, today: dt.date, answered_on: dt.date | None = None) -> bool:
        """Answered after the due date, or unanswered and the due date has passed."""
        if self.response_due is None:
            return False
        return (answered_on or today) > self.response_due


def relevant_time(
    received: dt.date,
    *,
    identity_requested: dt.date | None = None,
    identity_received: dt.date | None = None,
) -> dt.date | None:
    """UK GDPR Art 12(3) as amended: the month begins at the latest of receipt and receipt of
    the identity information asked for; None while that information is awaited."""
    if identity_requested is None:
        return received
    if identity_received is None:
        return None
    return max(received, identity_received)


def sar_due(
    starts_on: dt.date,
    calendar: BusinessCalendar,
    *,
    extended: bool = False,
    paused_days: int = 0,
) -> dt.date:
    """The last day to answer: the corresponding date one month on (three when extended),
    clamped to the end of a shorter month, pushed back by the days the clock stood still, then
    to the next working day of ``calendar`` when it falls on a weekend or bank holiday."""
    months = SAR_MONTHS + (SAR_EXTENSION_MONTHS if extended else 0)
    day = add_months_corresponding(starts_on, months) + dt.timedelta(days=paused_days)
    return day if calendar.is_business_day(day) else calendar.next_business_day(day)


def extension_notice_due(starts_on: dt.date, *, paused_days: int = 0) -> dt.date:
    """The last day for the notice extending the time (with reasons): within the first month,
    not counting the stopped days, and not moved to a working day (conservative)."""
    return add_months_corresponding(starts_on, SAR_MONTHS) + dt.timedelta(days=paused_days)


def sar_clock(
    received: dt.date,
    calendar: BusinessCalendar,
    *,
    identity_requested: dt.date | None = None,
    identity_received: dt.date | None = None,
    pauses: tuple[Pause, ...] = (),
    extended: bool = False,
) -> SarClock:
    """Every date of one subject access request from what was recorded on it."""
    starts_on = relevant_time(
        received, identity_requested=identity_requested, identity_received=identity_received
    )
    stopped = any(p.answered is None for p in pauses)
    paused = sum(p.days() for p in pauses if p.answered is not None)
    if starts_on is None:
        return SarClock(None, paused, stopped, extended, None, None, "awaiting identity")
    notice_due = extension_notice_due(starts_on, paused_days=paused)
    due = None if stopped else sar_due(starts_on, calendar, extended=extended, paused_days=paused)
    months = SAR_MONTHS + (SAR_EXTENSION_MONTHS if extended else 0)
    basis = f"{months} month{'s' if months > 1 else ''} from {starts_on.isoformat()}"
    if paused:
        basis += f", {paused} stopped day{'s' if paused > 1 else ''} added"
    if stopped:
        basis += ", stopped while scope is clarified"
    return SarClock(starts_on, paused, stopped, extended, due, notice_due, basis)
