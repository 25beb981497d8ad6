"""Firm settings a firm administrator changes in the product (not only in the Django admin):
each locks the firm row, refuses anyone without manage_firm, and is kept in the firm's history
with who changed it and why."""

from __future__ import annotations

from datetime import datetime

from allauth.mfa.models import Authenticator
from django.db import transaction

from common.audit import Actor, save_audited, snapshot
from common.errors import PermissionDeniedError, ValidationFailed
from common.locking import lock_row

from ..access import Perm, has_perm
from ..choices import UnknownEventDateWording
from ..errors import ErrorCode
from ..models import Firm, Membership

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
    return _set_firm_field(firm_id, actor, "unknown_event_date_wording", wording)


def firm_set_offers_welsh(*, firm_id: int, actor: Actor, now: datetime, offers_welsh: bool) -> Firm:
    """Offer (or stop offering) letters in Welsh. While it is on, a complainant who chose Welsh
    gets the Welsh template of each letter; turned off, their letters are in English again
    (their choice is kept)."""
    _ensure_firm_admin(
        actor,
        firm_id,
        "Only a firm administrator chooses whether the firm offers letters in Welsh.",
    )
    return _set_firm_field(firm_id, actor, "offers_welsh", bool(offers_welsh))


def firm_set_require_two_factor(
    *, firm_id: int, actor: Actor, now: datetime, require_two_factor: bool
) -> Firm:
    """Require (or stop requiring) two-factor sign-in of every member of the firm. From the next
    request, a member without an authenticator is sent to set one up (audit.twofactor)."""
    _ensure_firm_admin(actor, firm_id, "Only a firm administrator changes how members sign in.")
    return _set_firm_field(firm_id, actor, "require_two_factor", bool(require_two_factor))


def member_reset_two_factor(
    *, firm_id: int, user_id: int, actor: Actor, now: datetime
) -> Membership:
    """Remove a member's authenticator app and recovery codes (a lost phone): they sign in with
    their password and, if a firm of theirs requires it, set up two-factor sign-in again. Kept
    in the membership's history (``two_factor_reset_at``, who and why). The user's
    authenticators are theirs, not the firm's: a reset holds for every firm they belong to."""
    _ensure_firm_admin(actor, firm_id, "Only a firm administrator resets a member's sign-in.")
    members = Membership.objects.filter(firm_id=firm_id)
    pk = members.filter(user_id=user_id).values_list("pk", flat=True).first()
    with transaction.atomic():
        membership = lock_row(
            members, pk or 0, code=ErrorCode.MEMBER_NOT_FOUND, message="No such member."
        )
        before = snapshot(membership)
        Authenticator.objects.filter(user_id=user_id).delete()
        membership.two_factor_reset_at = now
        save_audited(membership, actor=actor, reason="membership.two_factor_reset", before=before)
    return membership


def _set_firm_field(firm_id: int, actor: Actor, field: str, value: object) -> Firm:
    """Set one of the firm's settings under the firm row's lock, kept in its history with the
    reason ``firm.<field>``."""
    with transaction.atomic():
        firm = lock_row(
            Firm.objects.all(), firm_id, code=ErrorCode.FIRM_NOT_FOUND, message="No such firm."
        )
        before = snapshot(firm)
        setattr(firm, field, value)
        save_audited(firm, actor=actor, reason=f"firm.{field}", before=before)
    return firm


def _ensure_firm_admin(actor: Actor, firm_id: int, message: str) -> None:
    if not has_perm(actor, firm_id, Perm.MANAGE_FIRM):
        raise PermissionDeniedError(ErrorCode.PERMISSION_DENIED, message)
