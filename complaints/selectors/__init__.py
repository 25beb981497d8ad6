"""Reads for the complaint handler's UI: the work queue, deadline wording, intake look-ups and
the timeline.

Every read is scoped to the user's firms (through ``complaints.access``, or by a firm the caller
already checked). Nothing here writes. Query counts are fixed per page: rows come with their
complainant and owner joined, the business-day calendar is built once by the caller and passed
in, and the timeline (the complaint page's and the audit trail's one read) loads each history
table in one query.
"""

from .deadlines import (
    BREACHED,
    LATER,
    NONE,
    SOON,
    DeadlineRow,
    DeadlineView,
    business_countdown,
    complaint_deadlines,
    describe_next_deadline,
    proclaimed_bank_holidays,
)
from .forwards import forwarded_parts
from .intake import complainant_search, likely_duplicates
from .queue import (
    TAB_MINE,
    TAB_TEAM,
    TAB_UNASSIGNED,
    TABS,
    WINDOWS,
    QueueFilters,
    QueueRow,
    firm_members,
    other_deadlines,
    queue_complaints,
    queue_rows,
    register_queue_deadlines,
)
from .tasks import complaint_tasks, user_open_tasks
from .timeline import (
    ReadableEntry,
    TimelineEntry,
    complaint_timeline,
    readable_reason,
    readable_timeline,
)

__all__ = [
    "proclaimed_bank_holidays",
    "BREACHED",
    "LATER",
    "NONE",
    "SOON",
    "TABS",
    "TAB_MINE",
    "TAB_TEAM",
    "TAB_UNASSIGNED",
    "WINDOWS",
    "DeadlineRow",
    "DeadlineView",
    "QueueFilters",
    "QueueRow",
    "ReadableEntry",
    "TimelineEntry",
    "business_countdown",
    "complainant_search",
    "complaint_tasks",
    "user_open_tasks",
    "complaint_deadlines",
    "complaint_timeline",
    "describe_next_deadline",
    "firm_members",
    "forwarded_parts",
    "likely_duplicates",
    "other_deadlines",
    "queue_complaints",
    "queue_rows",
    "readable_reason",
    "readable_timeline",
    "register_queue_deadlines",
]
