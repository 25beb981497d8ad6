"""Glue between the pure DISP clock (complaints.disp) and the complaint row."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime
from functools import lru_cache
from typing import Any, NoReturn, SupportsIndex
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db.models import Subquery

from common.compiled import Compiled
from common.dates import uk_date

from .choices import HolidayRegion, Nation, Status
from .disp.calendar import BusinessCalendar
from .disp.clock import ComplaintDeadlines, Regime, compute_deadlines
from .models import BankHoliday, Complaint, Firm

LONDON = ZoneInfo("Europe/London")


def calendars_by_nation(nations: Iterable[str] = Nation.values) -> dict[str, BusinessCalendar]:
    """The Glossary business-day calendar of each part of the UK in one query, with the days
    proclaimed for it (an England-and-Wales day applies to both): days added, and days a
    proclamation moved a bank holiday away from. Proclaimed bank holidays are data."""
    wanted = tuple(nations)
    added: dict[str, list[date]] = {n: [] for n in wanted}
    removed: dict[str, list[date]] = {n: [] for n in wanted}
    regions = {r for n in wanted for r in HolidayRegion.covering(n)}
    rows = BankHoliday.objects.filter(nation__in=regions).values_list("nation", "date", "replaces")
    for region, day, replaces in rows:
        for nation in HolidayRegion.nations(region):
            if nation in added:
                added[nation].append(day)
                if replaces is not None:
                    removed[nation].append(replaces)
    return {
        n: BusinessCalendar.for_nation(n, extra_holidays=added[n], removed_holidays=removed[n])
        for n in wanted
    }


def calendar_for_nation(nation: str) -> BusinessCalendar:
    """The Glossary business-day calendar for one part of the UK (see ``calendars_by_nation``)."""
    return calendars_by_nation([nation])[nation]


def calendar_for_firm(firm: Firm) -> BusinessCalendar:
    return calendar_for_nation(firm.nation)


def _latest_holidays_entry():
    return BankHoliday.history.order_by("-history_id").values("history_id")[:1]


def holidays_version() -> Subquery:
    """An expression for a query's row: the latest entry of the bank holidays' history (None
    before any). Every proclamation is recorded with its history entry (rows are never edited
    or deleted through the product; any row changed through the ORM is recorded too), so the
    calendar read at one version holds until the next."""
    return Subquery(_latest_holidays_entry())


@lru_cache(maxsize=16)
def calendar_at(nation: str, version: int | None) -> BusinessCalendar:
    """``calendar_for_nation`` read once per process and ``holidays_version`` (issue 18): a
    read asks for the version with its row and gets the calendar without a query of its own
    until a proclamation changes the version; the next request then reads it again."""
    return calendar_for_nation(nation)


@lru_cache(maxsize=1)
def _compiled_version() -> Compiled:
    # Prepared: one plan per connection for a read with no values (planning it was most of it).
    return Compiled(_latest_holidays_entry(), prepared=True)


def calendar_now(nation: str) -> BusinessCalendar:
    """``calendar_for_nation`` as the bank holidays stand now: ``calendar_at`` their current
    ``holidays_version``, read by one index probe (SQL compiled once per process, prepared on
    the server) instead of reading every proclaimed day and building the calendar on each write
    (issue 18: the API create)."""
    rows = _compiled_version().rows()
    return calendar_at(nation, rows[0][0] if rows else None)


def deadlines_for(
    *,
    firm: Firm,
    received_at: datetime,
    regime: str,
    event_date: date | None,
    awareness_date: date | None,
    final_response_sent: date | None = None,
    six_month_wording: bool = False,
    holding_response_sent: bool = False,
    calendar: BusinessCalendar | None = None,
) -> ComplaintDeadlines:
    return compute_deadlines(
        received_at=received_at,
        calendar=calendar or calendar_for_firm(firm),
        regime=Regime(regime),
        close_of_business=firm.close_of_business,
        defer_after_hours=firm.defer_after_hours_receipt,
        event_date=event_date,
        awareness_date=awareness_date,
        final_response_sent=final_response_sent,
        six_month_wording=six_month_wording,
        holding_response_sent=holding_response_sent,
        final_response_day_count=settings.DISP_FINAL_RESPONSE_DAY_COUNT,
    )


def _sent_date(value: datetime | None) -> date | None:
    return value.astimezone(LONDON).date() if value else None


PROMISED_RULE = "DISP 1.6.2R(2)(a)"


def promised_final_response(complaint: Complaint) -> dict[str, str] | None:
    """The rule and basis of the date an 8-week holding response promised the final response by
    (DISP 1.6.2R(2)(a): it "indicates when it expects to be able to provide one"): a deadline
    the firm set itself, tracked like the DISP dates. None before such a holding response (the
    PSD/EMD holding response gives the 35-business-day date, tracked as its own deadline)."""
    sent = complaint.holding_response_sent_at
    if sent is None or complaint.expected_final_response_on is None:
        return None
    if complaint.regime != Regime.STANDARD:
        return None
    return {
        "rule": PROMISED_RULE,
        "label": "Final response promised in the holding response",
        "basis": f"the date given in the holding response sent {uk_date(sent)}",
    }


class SharedRules(dict[str, Any]):
    """A deadline-rules dict ``_rules_of`` shares between complaints (and its inner dicts):
    changing one in place would change every complaint holding it, in this process, from then
    on, so it is refused (``TypeError``) instead; assign a new dict. Read, compared and written
    as JSON as any dict; a copy (``copy.deepcopy``, pickling) is a plain dict of its own."""

    __slots__ = ()

    def _refuse(self, *args: Any, **kwargs: Any) -> NoReturn:
        raise TypeError("Shared deadline rules are read-only: assign a new dict instead.")

    __setitem__ = __delitem__ = clear = pop = popitem = setdefault = update = __ior__ = _refuse

    def __reduce_ex__(self, protocol: SupportsIndex) -> tuple[Any, ...]:
        return (dict, (dict(self),))


# ``_rules_of``'s answers by the id of the result they were made for (the result kept with its
# answer, so the id stays its own); emptied when full, as bounded as the clock's memory.
_RULES: dict[int, tuple[ComplaintDeadlines, SharedRules]] = {}
_RULES_KEPT = 8192


def _rules_of(result: ComplaintDeadlines) -> SharedRules:
    """What ``deadline_rules`` stores for ``result``: each deadline's rule, label and basis.
    Made once per result: the DISP clock remembers its answers (``_deadlines_from``), so the
    complaints received on the same days, and the steps that do not move their deadlines, get
    the same result and share one dict, which the commit of a register import makes into JSON
    text once. Shared, so read-only (``SharedRules``): a promised date makes a new dict."""
    found = _RULES.get(id(result))
    if found is not None and found[0] is result:
        return found[1]
    rules = SharedRules(
        (key, SharedRules(rule=d.rule, label=d.label, basis=d.basis))
        for key, d in (
            ("summary_resolution", result.summary_resolution),
            ("final_response", result.final_response),
            ("extended_final_response", result.extended_final_response),
            ("fos_referral_open_from", result.fos_referral_open_from),
            ("time_bar", result.time_bar),
            ("fos_six_month", result.fos_six_month),
        )
        if d is not None
    )
    if len(_RULES) >= _RULES_KEPT:
        _RULES.clear()
    _RULES[id(result)] = (result, rules)
    return rules


def apply_deadlines(
    complaint: Complaint, *, now: datetime, calendar: BusinessCalendar | None = None
) -> ComplaintDeadlines:
    """Compute every DISP deadline from the complaint's inputs and store it on the row.

    The six-month FOS window (DISP 2.8.2R(1)) runs from the date the final response or SRC was
    *sent*, and only if that letter carried the six-month wording (DISP 2.8.3G).
    """
    firm = complaint.firm
    response_sent = complaint.final_response_sent_at or complaint.src_sent_at
    result = deadlines_for(
        firm=firm,
        received_at=complaint.received_at,
        regime=complaint.regime,
        event_date=complaint.event_date,
        awareness_date=complaint.awareness_date,
        final_response_sent=_sent_date(response_sent),
        six_month_wording=complaint.six_month_wording_included,
        holding_response_sent=complaint.holding_response_sent_at is not None,
        calendar=calendar,
    )
    complaint.receipt_date = result.receipt_date
    complaint.src_deadline = result.summary_resolution.date
    complaint.src_deadline_at = datetime.combine(
        result.summary_resolution.date, firm.close_of_business, tzinfo=LONDON
    )
    complaint.final_response_due = result.final_response.date
    complaint.extended_final_response_due = (
        result.extended_final_response.date if result.extended_final_response else None
    )
    complaint.fos_referral_open_from = result.fos_referral_open_from.date
    complaint.time_bar_date = result.time_bar.date if result.time_bar else None
    complaint.fos_six_month_deadline = result.fos_six_month.date if result.fos_six_month else None
    rules: dict[str, Any] = _rules_of(result)
    if promised := promised_final_response(complaint):
        rules = {**rules, "promised_final_response": promised}
    complaint.deadline_rules = rules
    complaint.response_deadline = complaint.current_response_deadline()
    complaint.calendar_nation = firm.nation
    complaint.calendar_version = result.calendar_version
    complaint.deadlines_computed_at = now
    return result


_EARLY = (Status.RECEIVED, Status.ACKNOWLEDGED, Status.INVESTIGATING)


def next_deadline_of(complaint: Complaint, today: date) -> tuple[date | None, str]:
    """``(next_deadline, next_deadline_kind)`` of a complaint held in memory: what
    ``ComplaintQuerySet.with_next_deadline`` annotates in SQL (the create renders the row it
    has just written without reading it back; tests/complaints/test_next_deadline.py holds
    the two equal)."""
    c = complaint
    if c.is_complaint and c.status in _EARLY and c.src_deadline >= today:
        return c.src_deadline, "src"
    if c.is_complaint and c.status in _EARLY:
        kind = "final_response"
    elif c.status == Status.HOLDING_RESPONSE_SENT and c.regime == Regime.PSD_EMD:
        kind = "extended_final_response"
    elif (
        c.status == Status.HOLDING_RESPONSE_SENT
        and c.regime == Regime.STANDARD
        and c.expected_final_response_on is not None
    ):
        kind = "promised_final_response"
    else:
        kind = ""
    return c.response_deadline, kind
