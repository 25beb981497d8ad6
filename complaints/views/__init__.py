"""The complaint handler's web UI: thin views over selectors (reads) and services (writes)."""

from .adjustments import complaint_adjustments
from .calculator import calculator
from .calendar import bank_holidays
from .dataprotection import data_protection_act
from .detail import complaint_act, complaint_assign, complaint_detail, complaint_note
from .firm import pick_firm, switch_firm
from .log import complainant_lookup, complaint_create, complaint_preview
from .queue import queue
from .representatives import representative_add, representative_authority, representative_end
from .tasks import my_tasks, task_act, task_add
from .vulnerability import complaint_vulnerability

__all__ = [
    "bank_holidays",
    "calculator",
    "complainant_lookup",
    "data_protection_act",
    "complaint_act",
    "complaint_adjustments",
    "complaint_assign",
    "complaint_create",
    "complaint_detail",
    "complaint_note",
    "complaint_preview",
    "complaint_vulnerability",
    "pick_firm",
    "queue",
    "representative_add",
    "representative_authority",
    "representative_end",
    "switch_firm",
    "my_tasks",
    "task_act",
    "task_add",
]
