"""The DISP complaint clocks: receipt, SRC window, final response, FOS access and time limits.

Pure date arithmetic (disp-rules.md §2.5–2.7, §3.3, §6). Callers pass ``now``-free inputs; the
firm's calendar, close-of-business time and regime are settings, never hard-coded here.
"""

import datetime as dt
import functools
from dataclasses import dataclass
from enum import StrEnum
from typing import Any
from zoneinfo import ZoneInfo

from dateutil.relativedelta import relativedelta

from complaints.disp.calendar import BusinessCalendar

LONDON = "Europe/London"
DEFAULT_CLOSE_OF_BUSINESS = dt.time(17, 0)

SRC_BUSINESS_DAYS = 3
FINAL_RESPONSE_DAYS = 56
FOS_OPEN_AFTER_DAYS = 57
PSD_BUSINESS_DAYS = 15
PSD_EXTENDED_BUSINESS_DAYS = 35
FOS_SIX_MONTHS = 6
TIME_BAR_EVENT_YEARS = 6
TIME_BAR_AWARENESS_YEARS = 3


class Regime(StrEnum):
    """Which final-response timetable applies (DISP 1.6.2R or DISP 1.6.2AR)."""

    STANDARD = "standard"
    PSD_EMD = "psd_emd"


@dataclass(frozen=True)
class Deadline:
    """One computed deadline with the rule it comes from and a one-line explanation."""

    date: dt.date
    rule: str
    label: str
    basis: str
    time: dt.time | None = None

    def is_overdue(self, now: dt.datetime, *, tz: str = LONDON) -> bool:
        """True once ``now`` (aware) is past the deadline: its ``time`` if set, else end of day."""
        local = _local(now, tz)
        if self.time is None:
            return local.date() > self.date
        return (local.date(), local.time()) > (self.date, self.time)


def _local(moment: dt.datetime, tz: str) -> dt.datetime:
    # A naive timestamp has no defined receipt date; refuse it rather than guess UTC or local.
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ValueError("received_at/now must be timezone-aware")
    return moment.astimezone(ZoneInfo(tz))


def _fmt(day: dt.date) -> str:
    return f"{day:%a} {day.day} {day:%b %Y}"


def _ordinal(n: int) -> str:
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def arrival_date(received_at: dt.datetime, *, tz: str = LONDON) -> dt.date:
    """The local (Europe/London) date the complaint actually arrived, whatever the firm's
    after-hours option: the date DISP 2.8.2R(2) asks about ("referred the complaint to the
    respondent ... within that period", with "some other record of the complaint having been
    received"), and the earliest date anything can be sent in reply."""
    return _local(received_at, tz).date()


def received_out_of_time(arrived: dt.date, limit: dt.date | None) -> bool:
    """DISP 2.8.2R(2) / DISP 1.8: the complaint reached the firm after the 6-year/3-year limit
    (``time_bar_date``), judged on the date it arrived (``arrival_date``), never on the
    deferred day 0 of the legacy after-hours option. A complaint arriving on the limit date
    itself is in time; an unknown limit (no event date) is never out of time."""
    return limit is not None and arrived > limit


def dates_out_of_order(
    received_at: dt.datetime,
    *,
    event_date: dt.date | None = None,
    awareness_date: dt.date | None = None,
    final_response_sent: dt.date | None = None,
) -> dict[str, str]:
    """The clock's dated inputs that cannot be true beside the complaint's arrival, each as
    ``"after"`` or ``"before"`` the arrival date: the event complained of and the complainant's
    awareness of it (DISP 2.8.2R(2)) come before the complaint, and a response (DISP 1.6.2R,
    "after its receipt") comes after it. The same day is always possible."""
    arrived = arrival_date(received_at)
    out: dict[str, str] = {}
    if event_date is not None and event_date > arrived:
        out["event_date"] = "after"
    if awareness_date is not None and awareness_date > arrived:
        out["awareness_date"] = "after"
    if final_response_sent is not None and final_response_sent < arrived:
        out["final_response_sent"] = "before"
    return out


def receipt_date(
    received_at: dt.datetime,
    *,
    calendar: BusinessCalendar,
    close_of_business: dt.time = DEFAULT_CLOSE_OF_BUSINESS,
    defer_after_hours: bool = False,
    tz: str = LONDON,
) -> dt.date:
    """The day of receipt that every DISP clock counts from (disp-rules.md §2.7, A1).

    Default: the local (Europe/London) calendar date, as DISP 1.5.1R counts from "the day on which
    it is received". ``defer_after_hours`` reproduces the deleted DISP 1.5.3G: a complaint received
    on a non-business day, or at or after close of business, is treated as received on the next
    business day.
    """
    return _receipt_day(_local(received_at, tz), calendar, close_of_business, defer_after_hours)


def _receipt_day(
    local: dt.datetime,
    calendar: BusinessCalendar,
    close_of_business: dt.time,
    defer_after_hours: bool,
) -> dt.date:
    """``receipt_date`` of the moment read in its zone already (``local``)."""
    day = local.date()
    if defer_after_hours and (
        not calendar.is_business_day(day) or local.time() >= close_of_business
    ):
        return calendar.next_business_day(day)
    return day


def src_deadline(receipt: dt.date, calendar: BusinessCalendar) -> dt.date:
    """DISP 1.5.1R: resolved "by close of business on the third business day following" receipt."""
    return calendar.nth_business_day_after(receipt, SRC_BUSINESS_DAYS)


def final_response_due(receipt: dt.date, *, day_count: int = FINAL_RESPONSE_DAYS) -> dt.date:
    """DISP 1.6.2R: "by the end of eight weeks after its receipt", i.e. receipt + 56 days.

    Calendar weeks, so never rolled off a weekend or bank holiday (A4). ``day_count=55`` is the
    setting for firms that count the day of receipt as day 1.
    """
    return receipt + dt.timedelta(days=day_count)


def psd_final_response_due(receipt: dt.date, calendar: BusinessCalendar) -> dt.date:
    """DISP 1.6.2AR(1): PSD/EMD final response by the end of 15 business days after receipt."""
    return calendar.nth_business_day_after(receipt, PSD_BUSINESS_DAYS)


def psd_extended_final_response_due(receipt: dt.date, calendar: BusinessCalendar) -> dt.date:
    """DISP 1.6.2AR(2): after a holding response, final response within 35 business days."""
    return calendar.nth_business_day_after(receipt, PSD_EXTENDED_BUSINESS_DAYS)


def fos_referral_open_from(
    receipt: dt.date,
    *,
    regime: Regime,
    calendar: BusinessCalendar,
    holding_response_sent: bool = False,
) -> dt.date:
    """First day the FOS may consider the complaint on time elapsed alone.

    DISP 2.8.1R(2): "eight weeks have elapsed since the respondent received the complaint", i.e.
    the day after receipt + 56 days (A5). DISP 2.8.1R(2A): for PSD/EMD complaints, the day after
    the 15th business day, or after the 35th if a holding response was sent. An earlier final
    response or SRC (DISP 2.8.1R(1)) is not considered here.
    """
    if regime is Regime.STANDARD:
        return receipt + dt.timedelta(days=FOS_OPEN_AFTER_DAYS)
    last_day = (
        psd_extended_final_response_due(receipt, calendar)
        if holding_response_sent
        else psd_final_response_due(receipt, calendar)
    )
    return last_day + dt.timedelta(days=1)


def add_months_corresponding(day: dt.date, months: int) -> dt.date:
    """Corresponding-date rule: same day-of-month, clamped to the last day of a shorter month.

    31 Aug + 6 months is 28 (or 29) Feb; 29 Feb + 6 years is 28 Feb (disp-rules.md §3.3, A6).
    """
    return day + relativedelta(months=months)


def fos_six_month_deadline(
    sent: dt.date | None, *, included_six_month_wording: bool
) -> dt.date | None:
    """DISP 2.8.2R(1): last in-time referral day, six months after the response was *sent*.

    DISP 2.8.3G: the limit is only triggered if the final response or SRC told the complainant
    about it, so None when the wording was omitted or nothing has been sent.
    """
    if sent is None or not included_six_month_wording:
        return None
    return add_months_corresponding(sent, FOS_SIX_MONTHS)


def time_bar_date(event: dt.date | None, awareness: dt.date | None) -> dt.date | None:
    """DISP 2.8.2R(2): last in-time day, six years after the event or (if later) three years
    after the complainant became (or ought to have become) aware. None if the event is unknown.
    """
    if event is None:
        return None
    aware = awareness or event
    return max(
        add_months_corresponding(event, 12 * TIME_BAR_EVENT_YEARS),
        add_months_corresponding(aware, 12 * TIME_BAR_AWARENESS_YEARS),
    )


def is_time_barred(referred_on: dt.date, event: dt.date | None, awareness: dt.date | None) -> bool:
    """DISP 2.8.2R(2) / DISP 1.8: barred only if referred *more than* the period after, so a
    referral on the limit date itself is in time. An unknown event date is never barred.
    """
    limit = time_bar_date(event, awareness)
    return limit is not None and referred_on > limit


def on_or_after_commencement(act: dt.date, commencement: dt.date) -> bool:
    """CP26/4 para 3.24: the FOS CJ covers crypto acts or omissions on or after go-live.

    ``commencement`` is configuration (the instrument's date is still a placeholder).
    """
    return act >= commencement


@dataclass(frozen=True)
class ComplaintDeadlines:
    """Every DISP deadline for one complaint, as stored beside it with the calendar version."""

    receipt_date: dt.date
    summary_resolution: Deadline
    final_response: Deadline
    extended_final_response: Deadline | None
    fos_referral_open_from: Deadline
    time_bar: Deadline | None
    fos_six_month: Deadline | None
    calendar_version: str
    nation: str
    regime: Regime
    receipt_basis: str = "local calendar date of receipt (Europe/London)"

    def _by_key(self) -> dict[str, Deadline | None]:
        return {
            "summary_resolution_deadline": self.summary_resolution,
            "final_response_due": self.final_response,
            "extended_final_response_due": self.extended_final_response,
            "fos_referral_open_from": self.fos_referral_open_from,
            "time_bar_date": self.time_bar,
            "fos_six_month_deadline": self.fos_six_month,
        }

    def as_json_dict(self) -> dict[str, Any]:
        """ISO dates (or None) under stable keys, plus the rule behind each key."""
        deadlines = self._by_key()
        close = self.summary_resolution.time
        return {
            **{key: d.date.isoformat() if d else None for key, d in deadlines.items()},
            "summary_resolution_close_of_business": close.isoformat("minutes") if close else None,
            "receipt_date": self.receipt_date.isoformat(),
            "receipt_basis": self.receipt_basis,
            "nation": self.nation,
            "regime": str(self.regime),
            "calendar_version": self.calendar_version,
            "rules": {key: d.rule if d else None for key, d in deadlines.items()},
        }


def _src(receipt: dt.date, calendar: BusinessCalendar, close: dt.time) -> Deadline:
    return Deadline(
        date=src_deadline(receipt, calendar),
        time=close,
        rule="DISP 1.5.1R",
        label="Summary resolution communication",
        basis=(
            f"close of business ({close:%H:%M}) on the 3rd business day after receipt "
            f"({_fmt(receipt)}), {calendar.label} calendar"
        ),
    )


def _final_responses(
    receipt: dt.date, calendar: BusinessCalendar, regime: Regime, day_count: int
) -> tuple[Deadline, Deadline | None]:
    if regime is Regime.STANDARD:
        standard = Deadline(
            date=final_response_due(receipt, day_count=day_count),
            rule="DISP 1.6.2R",
            label="Final or holding response",
            basis=f"end of {day_count} calendar days after receipt ({_fmt(receipt)}), not rolled",
        )
        return standard, None
    psd = Deadline(
        date=psd_final_response_due(receipt, calendar),
        rule="DISP 1.6.2AR(1)",
        label="Final (or holding) response, PSD/EMD",
        basis=f"15th business day after receipt ({_fmt(receipt)}), {calendar.label} calendar",
    )
    extended = Deadline(
        date=psd_extended_final_response_due(receipt, calendar),
        rule="DISP 1.6.2AR(2)",
        label="Final response after holding response, PSD/EMD",
        basis=f"35th business day after receipt ({_fmt(receipt)}), {calendar.label} calendar",
    )
    return psd, extended


def _fos_open(
    receipt: dt.date,
    calendar: BusinessCalendar,
    regime: Regime,
    holding_response_sent: bool,
    final_response_sent: dt.date | None,
) -> Deadline:
    elapsed = fos_referral_open_from(
        receipt, regime=regime, calendar=calendar, holding_response_sent=holding_response_sent
    )
    label = "FOS may consider the complaint from"
    # DISP 2.8.1R(1): a final response or SRC already sent opens the FOS before time has elapsed.
    if final_response_sent is not None and final_response_sent < elapsed:
        return Deadline(
            date=final_response_sent,
            rule="DISP 2.8.1R(1)",
            label=label,
            basis=f"final response or SRC sent {_fmt(final_response_sent)}",
        )
    if regime is Regime.STANDARD:
        rule, basis = "DISP 2.8.1R(2)", "the day after eight weeks (56 days) from receipt"
    elif holding_response_sent:
        rule, basis = "DISP 2.8.1R(2A)(b)", "the day after the 35th business day from receipt"
    else:
        rule, basis = "DISP 2.8.1R(2A)(a)", "the day after the 15th business day from receipt"
    return Deadline(date=elapsed, rule=rule, label=label, basis=f"{basis} ({_fmt(receipt)})")


def _time_bar(event: dt.date | None, awareness: dt.date | None) -> Deadline | None:
    limit = time_bar_date(event, awareness)
    if event is None or limit is None:
        return None
    by_event = add_months_corresponding(event, 12 * TIME_BAR_EVENT_YEARS)
    basis = (
        f"6 years after the event ({_fmt(event)})"
        if limit == by_event
        else f"3 years after awareness ({_fmt(awareness or event)})"
    )
    return Deadline(
        date=limit,
        rule="DISP 2.8.2R(2)",
        label="Last day to complain within the 6-year/3-year limit",
        basis=basis,
    )


def _six_month(sent: dt.date | None, included_wording: bool) -> Deadline | None:
    limit = fos_six_month_deadline(sent, included_six_month_wording=included_wording)
    if sent is None or limit is None:
        return None
    return Deadline(
        date=limit,
        rule="DISP 2.8.2R(1)",
        label="Last day to refer to the FOS (six months)",
        basis=f"six months after the final response or SRC was sent ({_fmt(sent)}), not rolled",
    )


def compute_deadlines(
    *,
    received_at: dt.datetime,
    calendar: BusinessCalendar,
    regime: Regime = Regime.STANDARD,
    close_of_business: dt.time = DEFAULT_CLOSE_OF_BUSINESS,
    defer_after_hours: bool = False,
    event_date: dt.date | None = None,
    awareness_date: dt.date | None = None,
    final_response_sent: dt.date | None = None,
    six_month_wording: bool = True,
    holding_response_sent: bool = False,
    final_response_day_count: int = FINAL_RESPONSE_DAYS,
) -> ComplaintDeadlines:
    """All DISP deadlines for one complaint from its receipt timestamp and firm settings.

    ``final_response_sent`` is the date a final response or SRC was sent: it starts the DISP
    2.8.2R(1) six-month clock (if ``six_month_wording``) and opens the FOS under DISP 2.8.1R(1).
    """
    local = _local(received_at, LONDON)  # read once for the receipt date and its basis
    receipt = _receipt_day(local, calendar, close_of_business, defer_after_hours)
    return _deadlines_from(
        receipt,
        calendar,
        regime,
        close_of_business,
        event_date,
        awareness_date,
        final_response_sent,
        six_month_wording,
        holding_response_sent,
        final_response_day_count,
        _receipt_basis(local, receipt),
    )


@functools.lru_cache(maxsize=8192)
def _deadlines_from(
    receipt: dt.date,
    calendar: BusinessCalendar,
    regime: Regime,
    close_of_business: dt.time,
    event_date: dt.date | None,
    awareness_date: dt.date | None,
    final_response_sent: dt.date | None,
    six_month_wording: bool,
    holding_response_sent: bool,
    final_response_day_count: int,
    receipt_basis: str,
) -> ComplaintDeadlines:
    """``compute_deadlines`` once the receipt date is known: a pure function of its arguments
    (the calendar is frozen and hashed by its content), so remembered for the last few thousand
    distinct inputs. A register import or a recompute of many complaints received on the same
    days asks the same questions again and again; the answers (frozen) are shared."""
    final, extended = _final_responses(receipt, calendar, regime, final_response_day_count)
    return ComplaintDeadlines(
        receipt_date=receipt,
        summary_resolution=_src(receipt, calendar, close_of_business),
        final_response=final,
        extended_final_response=extended,
        fos_referral_open_from=_fos_open(
            receipt, calendar, regime, holding_response_sent, final_response_sent
        ),
        time_bar=_time_bar(event_date, awareness_date),
        fos_six_month=_six_month(final_response_sent, six_month_wording),
        calendar_version=calendar.version,
        nation=str(calendar.nation),
        regime=regime,
        receipt_basis=receipt_basis,
    )


def _receipt_basis(local: dt.datetime, receipt: dt.date) -> str:
    """How the receipt date was found from the moment of receipt (``local``: in London)."""
    if local.date() == receipt:
        return "local calendar date of receipt (Europe/London)"
    return (
        f"received {_fmt(local.date())} {local:%H:%M} outside business hours; treated as received "
        f"{_fmt(receipt)} (legacy DISP 1.5.3G option)"
    )
