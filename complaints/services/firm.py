"""Firm settings a firm administrator changes in the product (not only in the Django admin):
each locks the firm row, refuses anyone without manage_firm, and is kept in the firm's history
with who changed it and why."""

from __future__ import annotations

from datetime import datetime

from django.db import transaction

from common.audit import Actor, save_audited, snapshot
from common.errors import PermissionDeniedError, ValidationFailed
from common.locking import lock_row

from ..access import Perm, has_perm
from ..choices import UnknownEventDateWording
from ..errors import ErrorCode
from ..models import Firm

UNKNOWN_EVENT_DATE_RULE = "CP26/4 para 3.24"


def firm_set_unknown_event_date_wording(
    *, firm_id: int, actor: Actor, now: datetime, wording: str
) -> Firm:
    """Choose what the firm's letters say about the Financial Ombudsman Service when the handler
    records that the event date is unknown (``Complaint.fos_access``). Letters drafted from now
    on follow it; letters already drafted or sent keep their text."""
    if not has_perm(actor, firm_id, Perm.MANAGE_FIRM):
        raise PermissionDeniedError(
            ErrorCode.PERMISSION_DENIED,
            "Only a firm administrator chooses what letters say when the event date is unknown.",
            rule=UNKNOWN_EVENT_DATE_RULE,
        )
    choices = ", ".join(UnknownEventDateWording.values)
    ValidationFailed.check(
        ErrorCode.VALIDATION,
        "The wording could not be saved",
        {}
        if wording in UnknownEventDateWording.values
        else {"wording": [f"“{wording}” is not one of the choices ({choices})."]},
        rule=UNKNOWN_EVENT_DATE_RULE,
    )
    with transaction.atomic():
        firm = lock_row(
            Firm.objects.all(), firm_id, code=ErrorCode.FIRM_NOT_FOUND, message="No such firm."
        )
        before = snapshot(firm)
        firm.unknown_event_date_wording = wording
        save_audited(firm, actor=actor, reason="firm.unknown_event_date_wording", before=before)
    return firm


def firm_set_offers_welsh(*, firm_id: int, actor: Actor, now: datetime, offers_welsh: bool) -> Firm:
    """Offer (or stop offering) letters in Welsh. While it is on, a complainant who chose Welsh
    gets the Welsh template of each letter; turned off, their letters are in English again
    (their choice is kept)."""
    if not has_perm(actor, firm_id, Perm.MANAGE_FIRM):
        raise PermissionDeniedError(
            ErrorCode.PERMISSION_DENIED,
            "Only a firm administrator chooses whether the firm offers letters in Welsh.",
        )
    with transaction.atomic():
        firm = lock_row(
            Firm.objects.all(), firm_id, code=ErrorCode.FIRM_NOT_FOUND, message="No such firm."
        )
        before = snapshot(firm)
        firm.offers_welsh = bool(offers_welsh)
        save_audited(firm, actor=actor, reason="firm.offers_welsh", before=before)
    return firm
