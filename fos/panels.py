"""The FOS panel on the complaint page (complaints.panels)."""

from __future__ import annotations

from django.utils import timezone

from common.dates import london_date
from complaints import access
from complaints.access import Perm

from .choices import Stage
from .selectors import complaint_referrals


def complaint_panel_context(request, complaint) -> dict | None:
    """Hidden for feedback and queries (they cannot go to the FOS) unless already referred."""
    referrals = complaint_referrals(complaint.pk)
    if not complaint.is_complaint and not referrals:
        return None
    can_manage = access.has_perm(request.user, complaint.firm_id, Perm.MANAGE_FOS)
    open_referral = any(r.stage in Stage.active() for r in referrals)
    return {
        "complaint": complaint,
        "referrals": referrals,
        "can_log": can_manage and complaint.is_complaint and not open_referral,
        "today": london_date(timezone.now()),
    }
