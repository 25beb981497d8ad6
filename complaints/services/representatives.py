"""A complainant's representatives: recording one with the evidence of its authority, renewing
that evidence, and recording that it stopped acting (DISP 2.7.2R: a complaint may be brought by a
person authorised by the complainant or by law)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction

from common.audit import Actor, history_user
from common.audit import save_audited as _save_audited
from common.audit import snapshot as _snapshot
from common.dates import london_date
from common.errors import PermissionDeniedError, ValidationFailed, required
from common.locking import lock_row

from ..access import Perm, has_perm
from ..choices import RepresentativeKind
from ..errors import ErrorCode
from ..models import Representative
from ._base import lock_complaint


@dataclass(frozen=True)
class Authority:
    """The evidence of a representative's authority (the file itself waits for evidence
    uploads: ``reference`` says where it is)."""

    document: str = ""
    reference: str = ""
    received_on: date | None = None
    expires_on: date | None = None


@dataclass(frozen=True)
class RepresentativeData:
    kind: str
    name: str
    organisation: str = ""
    address: str = ""
    email: str = ""
    regulator_reference: str = ""
    receives_letters: bool = True
    copy_to_complainant: bool = False
    authority: Authority = Authority()


def _require_handler(actor: Actor, firm_id: int) -> None:
    if not has_perm(actor, firm_id, Perm.HANDLE_COMPLAINTS):
        raise PermissionDeniedError(
            ErrorCode.PERMISSION_DENIED, "Your role in this firm does not allow this."
        )


def _authority_errors(authority: Authority, today: date) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    received = authority.received_on
    if received is None:
        if authority.document.strip() or authority.reference.strip():
            errors["authority_received_on"] = ["Say when the evidence of authority was received."]
        return errors
    errors.update(required(authority_document=authority.document))
    if received > today:
        errors["authority_received_on"] = ["Cannot be in the future."]
    if authority.expires_on is not None and authority.expires_on < received:
        errors["authority_expires_on"] = ["Cannot be before the authority was received."]
    return errors


def _validate(data: RepresentativeData, today: date) -> None:
    errors: dict[str, list[str]] = required(name=data.name)
    if data.kind not in RepresentativeKind.values:
        errors["kind"] = [f"Choose one of {', '.join(RepresentativeKind.values)}."]
    elif data.kind in RepresentativeKind.professional() and not data.regulator_reference.strip():
        errors["regulator_reference"] = [
            "Give the FCA reference of a claims management company or the SRA number of a "
            "solicitor."
        ]
    if data.email.strip():
        try:
            validate_email(data.email.strip())
        except ValidationError:
            errors["email"] = ["Enter a valid e-mail address."]
    if data.receives_letters and not (data.address.strip() or data.email.strip()):
        errors["address"] = ["Give a postal address or an e-mail address to send letters to."]
    errors.update(_authority_errors(data.authority, today))
    ValidationFailed.check(ErrorCode.VALIDATION, "The representative could not be recorded", errors)


def _apply_authority(rep: Representative, authority: Authority, actor: Actor, today: date) -> None:
    rep.authority_document = authority.document.strip()
    rep.authority_reference = authority.reference.strip()
    rep.authority_received_on = authority.received_on
    rep.authority_expires_on = authority.expires_on
    checked = authority.received_on is not None
    rep.authority_checked_by = history_user(actor) if checked else None
    rep.authority_checked_on = today if checked else None


def _require_one_correspondent(complainant_id: int) -> None:
    current = Representative.objects.correspondent_for(complainant_id)
    if current is not None:
        raise ValidationFailed(
            ErrorCode.VALIDATION,
            f"{current.display_name} already receives this complainant's letters: record that "
            "they stopped acting first, or untick 'receives letters'.",
            fields={"receives_letters": [f"{current.display_name} already receives the letters."]},
        )


def representative_add(
    *, complaint_id: int, actor: Actor, now: datetime, data: RepresentativeData
) -> Representative:
    """Record who acts for the complaint's complainant. Evidence of authority given here is
    recorded as checked by ``actor`` today; letters go to the representative only while that
    evidence is on file, checked and unexpired (``Representative.authority_problem``)."""
    today = london_date(now)
    _validate(data, today)
    with transaction.atomic():
        complaint = lock_complaint(complaint_id)
        _require_handler(actor, complaint.firm_id)
        if data.receives_letters:
            _require_one_correspondent(complaint.complainant_id)
        rep = Representative(
            firm_id=complaint.firm_id,
            complainant_id=complaint.complainant_id,
            kind=data.kind,
            name=data.name.strip(),
            organisation=data.organisation.strip(),
            address=data.address.strip().replace("\r\n", "\n"),
            email=data.email.strip(),
            regulator_reference=data.regulator_reference.strip(),
            receives_letters=data.receives_letters,
            copy_to_complainant=data.copy_to_complainant,
            created_by=history_user(actor),
            created_at=now,
        )
        _apply_authority(rep, data.authority, actor, today)
        _save_audited(rep, actor=actor, reason="representative.add", before=None)
    return rep


def _lock_representative(complaint_id: int, representative_id: int) -> Representative:
    complaint = lock_complaint(complaint_id)
    return lock_row(
        Representative.objects.filter(complainant_id=complaint.complainant_id),
        representative_id,
        code=ErrorCode.NOT_FOUND,
        message=f"Representative {representative_id} not found on this complaint.",
    )


def representative_record_authority(
    *,
    complaint_id: int,
    representative_id: int,
    actor: Actor,
    now: datetime,
    authority: Authority,
) -> Representative:
    """Record new (or renewed) evidence of authority, checked by ``actor`` today."""
    today = london_date(now)
    errors = _authority_errors(authority, today)
    if authority.received_on is None:
        errors["authority_received_on"] = ["Say when the evidence of authority was received."]
    ValidationFailed.check(ErrorCode.VALIDATION, "The authority could not be recorded", errors)
    with transaction.atomic():
        rep = _lock_representative(complaint_id, representative_id)
        _require_handler(actor, rep.firm_id)
        if rep.ended_on is not None:
            raise ValidationFailed(
                ErrorCode.VALIDATION,
                f"{rep.display_name} stopped acting: record a new representative instead.",
                fields={"ended_on": ["This representative no longer acts."]},
            )
        before = _snapshot(rep)
        _apply_authority(rep, authority, actor, today)
        _save_audited(rep, actor=actor, reason="representative.authority", before=before)
    return rep


def representative_end(
    *,
    complaint_id: int,
    representative_id: int,
    actor: Actor,
    now: datetime,
    reason: str,
    ended_on: date | None = None,
) -> Representative:
    """Record that the representative stopped acting (authority withdrawn, instructions ended).
    Letters go to the complainant again from that day."""
    today = london_date(now)
    ended_on = ended_on or today
    errors = required(reason=reason)
    if ended_on > today:
        errors["ended_on"] = ["Cannot be in the future."]
    ValidationFailed.check(ErrorCode.VALIDATION, "The end could not be recorded", errors)
    with transaction.atomic():
        rep = _lock_representative(complaint_id, representative_id)
        _require_handler(actor, rep.firm_id)
        if rep.ended_on is not None:
            raise ValidationFailed(
                ErrorCode.VALIDATION,
                f"{rep.display_name} already stopped acting.",
                fields={"ended_on": ["Already recorded."]},
            )
        before = _snapshot(rep)
        rep.ended_on = ended_on
        rep.ended_reason = " ".join(reason.split())[:300]
        _save_audited(rep, actor=actor, reason="representative.end", before=before)
    return rep
