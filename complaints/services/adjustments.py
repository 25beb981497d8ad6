"""Reasonable adjustments for a complainant (FG21/1 paras 5.1-5.14, communications; Equality Act
2010 s.20): how they ask to be contacted, and how their letters are made (large print, PDF/UA,
plain-text e-mail, Welsh where the firm offers it). Set on a complaint's page or API; they live
on the complainant, so every complaint of theirs follows them."""

from __future__ import annotations

from dataclasses import dataclass, fields
from datetime import datetime

from django.db import transaction

from common.audit import Actor, save_audited, snapshot
from common.errors import PermissionDeniedError, ValidationFailed
from common.locking import lock_row

from ..access import Perm, has_perm
from ..choices import ContactChannel, LetterLanguage
from ..errors import ErrorCode
from ..models import Complainant, Firm
from ._base import lock_complaint

ADJUSTMENTS_RULE = "FG21/1; Equality Act 2010 s.20"
WELSH_NOT_OFFERED = (
    "The firm does not offer letters in Welsh (a firm administrator can turn it on)."
)


@dataclass(frozen=True)
class Adjustments:
    """The complainant's reasonable adjustments, as the page and the API give them."""

    preferred_channel: str = ""
    contact_times: str = ""
    large_print: bool = False
    accessible_pdf: bool = False
    plain_text_email: bool = False
    letter_language: str = LetterLanguage.ENGLISH

    @classmethod
    def of(cls, person: Complainant) -> Adjustments:
        return cls(**{f.name: getattr(person, f.name) for f in fields(cls)})


def adjustment_errors(adj: Adjustments, person: Complainant, firm: Firm) -> dict[str, list[str]]:
    """Why these adjustments cannot be recorded for ``person`` (empty when they can)."""
    errors: dict[str, list[str]] = {}
    if adj.preferred_channel not in ("", *ContactChannel.values):
        errors["preferred_channel"] = [f"“{adj.preferred_channel}” is not post, email or phone."]
    elif adj.preferred_channel == ContactChannel.EMAIL and not person.email:
        errors["preferred_channel"] = ["The complainant has no e-mail address on file."]
    elif adj.preferred_channel == ContactChannel.PHONE and not person.phone:
        errors["preferred_channel"] = ["The complainant has no phone number on file."]
    if len(adj.contact_times) > 200:
        errors["contact_times"] = ["At most 200 characters."]
    if adj.letter_language not in LetterLanguage.values:
        errors["letter_language"] = [f"“{adj.letter_language}” is not en or cy."]
    elif adj.letter_language == LetterLanguage.WELSH and not firm.offers_welsh:
        errors["letter_language"] = [WELSH_NOT_OFFERED]
    return errors


def complainant_set_adjustments(
    *, complaint_id: int, actor: Actor, now: datetime, adjustments: Adjustments
) -> Complainant:
    """Record the complainant's reasonable adjustments (a handler of the complaint's firm). The
    change is in the complainant's history with who made it; letters drafted from now on follow
    it, letters already sent keep what they were."""
    adj = Adjustments(
        **{**adjustments.__dict__, "contact_times": adjustments.contact_times.strip()}
    )
    with transaction.atomic():
        complaint = lock_complaint(complaint_id)
        if not has_perm(actor, complaint.firm_id, Perm.HANDLE_COMPLAINTS):
            raise PermissionDeniedError(
                ErrorCode.PERMISSION_DENIED,
                "Only a handler or supervisor of the firm records reasonable adjustments.",
                rule=ADJUSTMENTS_RULE,
            )
        person = lock_row(
            Complainant.objects.all(),
            complaint.complainant_id,
            code=ErrorCode.NOT_FOUND,
            message="No such complainant.",
        )
        ValidationFailed.check(
            ErrorCode.VALIDATION,
            "The adjustments could not be saved",
            adjustment_errors(adj, person, complaint.firm),
            rule=ADJUSTMENTS_RULE,
        )
        before = snapshot(person)
        for name, value in adj.__dict__.items():
            setattr(person, name, value)
        save_audited(person, actor=actor, reason="complainant.adjustments", before=before)
    return person
