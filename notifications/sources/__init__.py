"""Every source the background jobs read, listed by key (the key is stored on each notice).

The notifications app sits above every app it watches, so it imports their data directly:
adding a deadline to the watch means adding a function here.
"""

from __future__ import annotations

from complaints.choices import Status
from notifications.due import DeadlineSource, ReminderSource, RetentionHold

from .dataprotection import dpa_acknowledgement_due, sar_response_due
from .disp import (
    AWAITING_RESPONSE,
    acknowledgement_due,
    final_response_due,
    promised_final_response_due,
    psd_extended_final_response_due,
    src_due_today,
)
from .fos import fos_deadline_source, open_referral_hold
from .gates import Gate
from .letters import undelivered_letters
from .redress import redress_payment_source
from .reporting import reporting_returns_due

DEADLINE_SOURCES: dict[str, DeadlineSource] = {
    "disp.src": src_due_today,
    "disp.acknowledgement": acknowledgement_due,
    "disp.final_response": final_response_due,
    "disp.psd_extended": psd_extended_final_response_due,
    "disp.promised_final_response": promised_final_response_due,
    "redress": redress_payment_source,
    "fos": fos_deadline_source,
    "letters.undelivered": undelivered_letters,
    "dpa.acknowledgement": dpa_acknowledgement_due,
    "dpa.subject_access": sar_response_due,
}

# What each source can only ever report on (``gates``): a single complaint's check skips a
# source its complaint does not pass.
_HOLDING = frozenset({Status.HOLDING_RESPONSE_SENT})
GATES: dict[str, Gate] = {
    "disp.src": Gate(statuses=frozenset(AWAITING_RESPONSE)),
    "disp.acknowledgement": Gate(statuses=frozenset({Status.RECEIVED})),
    "disp.final_response": Gate(statuses=frozenset(AWAITING_RESPONSE)),
    "disp.psd_extended": Gate(statuses=_HOLDING),
    "disp.promised_final_response": Gate(statuses=_HOLDING),
    "redress": Gate(related="redress"),
    "fos": Gate(related="fos"),
    "letters.undelivered": Gate(related="letters"),
    "dpa.acknowledgement": Gate(related="dpa"),
    "dpa.subject_access": Gate(related="sar"),
}

REMINDER_SOURCES: dict[str, ReminderSource] = {
    "reporting.returns_due": reporting_returns_due,
}

# Reasons a complaint past its retention period must still be kept (DISP 1.9);
# ``Complaint.legal_hold`` is built into the retention run itself.
RETENTION_HOLDS: dict[str, RetentionHold] = {
    "fos_open_referral": open_referral_hold,
}
