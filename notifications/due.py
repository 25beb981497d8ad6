"""What the deadline watch, the reminders and retention exchange with their sources.

The sources themselves are listed in ``notifications.sources``; every source works on a batch
(all firms, or a list of IDs) with a fixed number of queries, so a job's query count does not
grow with the number of complaints.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from functools import cached_property
from typing import TYPE_CHECKING, TypedDict, Unpack

from django.conf import settings
from django.db.models import Model, QuerySet

from common.dates import london_date
from complaints.disp.calendar import BusinessCalendar

from .models import Level

if TYPE_CHECKING:
    from complaints.models import Complaint, Firm


class NoticeKey:
    """What the once-only ``Notice`` ledger knows a notice by: (object, kind, level)."""

    object_key: str
    kind: str
    level: str

    @property
    def key(self) -> tuple[str, str, str]:
        return (self.object_key, self.kind, self.level)


@dataclass(frozen=True)
class DueItem(NoticeKey):
    """Something near or past a deadline, as a source reports it."""

    source: str
    object_key: str  # "complaint:42", "redress:17", "fos_referral:3": the once-only key
    kind: str  # "final_response", "psd_15", ...
    label: str  # "8-week final or holding response"
    rule: str  # "DISP 1.6.2R"
    level: str  # Level.NEAR or Level.BREACH
    due: date
    firm_id: int
    complaint_id: int | None = None
    reference: str = ""
    owner_id: int | None = None
    link: str = ""


class Deadline(TypedDict):
    """What a source says about one of its deadlines, beside its date."""

    source: str
    object_key: str
    kind: str
    label: str
    rule: str
    link: str


@dataclass
class WatchContext:
    """What every deadline source gets: the moment, the firms and their calendars."""

    now: datetime
    firms: dict[int, Firm]
    calendars: dict[str, BusinessCalendar]
    warning_business_days: int
    complaint_ids: list[int] | None = None  # restrict to these complaints (a single check)
    # What the sources' SQL depends on besides the complaints and ``now`` (the day, the
    # calendars' version, the firms and their thresholds): a single check's reads are compiled
    # once per shape (``sources.disp``); None compiles nothing.
    shape: tuple | None = None
    _warn_by: dict[str, date] = field(default_factory=dict)

    @cached_property
    def today(self) -> date:
        return london_date(self.now)

    @property
    def firm_ids(self) -> list[int]:
        return list(self.firms)

    def calendar(self, firm_id: int) -> BusinessCalendar:
        return self.calendars[self.firms[firm_id].nation]

    def warn_by(self, firm_id: int) -> date:
        """Last due date that counts as near: today + N business days in the firm's calendar."""
        nation = self.firms[firm_id].nation
        if nation not in self._warn_by:
            self._warn_by[nation] = self.calendars[nation].nth_business_day_after(
                self.today, self.warning_business_days
            )
        return self._warn_by[nation]

    def level_for(self, due: date) -> str:
        return Level.BREACH if due < self.today else Level.NEAR

    @property
    def horizon(self) -> date | None:
        """The latest due date any firm counts as near (None when there are no firms)."""
        return max((self.warn_by(firm_id) for firm_id in self.firm_ids), default=None)

    def compiling(self, complaint_ids: list[int], now: datetime) -> WatchContext:
        """This context for compiling a read once: the same day, firms and calendars, with
        ``complaint_ids`` and ``now`` in place of the checked complaints and moment."""
        model = replace(self, now=now, complaint_ids=complaint_ids)
        model.__dict__["today"] = self.today  # the cached day, not ``now``'s
        return model

    def watched[M: Model](self, qs: QuerySet[M], complaint_field: str) -> QuerySet[M]:
        """``qs`` narrowed to the complaints this run watches (every one, unless a single
        check named some); ``complaint_field`` leads from ``qs``'s rows to the complaint ID."""
        if self.complaint_ids is None:
            return qs
        return qs.filter(**{f"{complaint_field}__in": self.complaint_ids})

    def complaint_due(
        self, complaint: Complaint, *, firm_id: int, due: date | None, **what: Unpack[Deadline]
    ) -> DueItem | None:
        """The item for a deadline ``due`` on ``complaint``, or None while it is not yet near in
        the firm's calendar (or there is no date)."""
        if due is None or due > self.warn_by(firm_id):
            return None
        return DueItem(
            **what,
            level=self.level_for(due),
            due=due,
            firm_id=firm_id,
            complaint_id=complaint.pk,
            reference=complaint.reference,
            owner_id=complaint.owner_id,
        )


DeadlineSource = Callable[[WatchContext], Iterable[DueItem]]


@dataclass(frozen=True)
class ReminderItem:
    """A regulatory return falling due (or overdue) for one firm."""

    object_key: str  # "return:NDX:2027-12-31"
    firm_id: int
    label: str  # "SUP 16.34 return for the quarter ending Fri 31 Dec 2027"
    due: date
    level: str
    link: str = ""


# (firm_ids, today, within_business_days) -> items
ReminderSource = Callable[[list[int], date, int], Iterable[ReminderItem]]
# (complaint_ids, today, fos_buffer_days) -> {complaint_id: reason it must be kept}
RetentionHold = Callable[[list[int], date, int], dict[int, str]]


def warning_business_days() -> int:
    return int(getattr(settings, "DEADLINE_WARNING_BUSINESS_DAYS", 5))
