"""Use cases that write: the only write path for FOS referrals, their deadlines and awards.

Every service is keyword-only, takes the acting user and ``now``, runs in one transaction,
locks the rows it changes (complaint first, then referral: the project's lock order), checks the
guard, and saves with a history entry whose change reason is ``fos.<action>``.
"""

from .awards import (
    referral_record_award,
    referral_record_time_limit_consent,
    referral_set_chargeable_date,
)
from .deadlines import fos_deadline_add, fos_deadline_complete
from .referrals import (
    facts_for,
    referral_log,
    referral_recompute_checklist,
    referral_set_reference,
)
from .stages import STAGE_SERVICES, referral_refer_back

__all__ = [
    "STAGE_SERVICES",
    "facts_for",
    "fos_deadline_add",
    "fos_deadline_complete",
    "referral_log",
    "referral_recompute_checklist",
    "referral_record_award",
    "referral_record_time_limit_consent",
    "referral_refer_back",
    "referral_set_chargeable_date",
    "referral_set_reference",
]
