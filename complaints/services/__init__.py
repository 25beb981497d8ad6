"""Use cases that write: the only write path for complaints.

Every service is keyword-only, takes the acting user and ``now`` explicitly, runs in one
transaction, locks the complaint row before reading its state, checks the DISP guard, runs the
transition, saves only the changed fields, and records a history entry whose change reason names
the use case and whose user is the actor.
"""

from ._base import complaint_changed, lock_complaint
from .adjustments import Adjustments, complainant_set_adjustments
from .calendar import (
    CalendarChange,
    bank_holiday_add_and_recompute,
    bank_holiday_proclaim,
)
from .case import (
    complaint_add_note,
    complaint_assign,
    complaint_consent_to_waive_time_limits,
    complaint_recompute_deadlines,
    complaint_update_clock_inputs,
    describe_deadline_change,
)
from .firm import (
    firm_set_offers_welsh,
    firm_set_require_two_factor,
    firm_set_unknown_event_date_wording,
    member_reset_two_factor,
)
from .intake import ComplainantData, complainant_create, complaint_register
from .letters import complaint_send_letter
from .lifecycle import (
    complaint_close,
    complaint_record_event_date,
    complaint_reopen,
    complaint_start_investigation,
    complaint_withdraw,
)
from .representatives import (
    Authority,
    RepresentativeData,
    representative_add,
    representative_end,
    representative_record_authority,
)
from .responses import (
    complaint_acknowledge,
    complaint_forward,
    complaint_reject_time_barred,
    complaint_resolve_summary,
    complaint_send_final_response,
    complaint_send_holding_response,
    complaint_send_progress_update,
)
from .retention import complaints_anonymise
from .tasks import task_cancel, task_complete, task_create, task_reassign, task_reopen
from .vulnerability import (
    VulnerabilityData,
    complainant_record_vulnerability,
    complaint_set_vulnerability,
)

__all__ = [
    "Adjustments",
    "complainant_set_adjustments",
    "firm_set_offers_welsh",
    "Authority",
    "RepresentativeData",
    "representative_add",
    "representative_end",
    "representative_record_authority",
    "CalendarChange",
    "ComplainantData",
    "VulnerabilityData",
    "complainant_record_vulnerability",
    "complaint_set_vulnerability",
    "bank_holiday_add_and_recompute",
    "bank_holiday_proclaim",
    "complainant_create",
    "complaints_anonymise",
    "complaint_acknowledge",
    "complaint_add_note",
    "complaint_assign",
    "complaint_changed",
    "complaint_close",
    "complaint_consent_to_waive_time_limits",
    "complaint_forward",
    "complaint_recompute_deadlines",
    "complaint_register",
    "complaint_reject_time_barred",
    "complaint_record_event_date",
    "complaint_reopen",
    "complaint_resolve_summary",
    "complaint_send_final_response",
    "complaint_send_holding_response",
    "complaint_send_progress_update",
    "complaint_send_letter",
    "complaint_start_investigation",
    "complaint_update_clock_inputs",
    "complaint_withdraw",
    "describe_deadline_change",
    "firm_set_require_two_factor",
    "firm_set_unknown_event_date_wording",
    "member_reset_two_factor",
    "lock_complaint",
    "task_cancel",
    "task_complete",
    "task_create",
    "task_reassign",
    "task_reopen",
]
