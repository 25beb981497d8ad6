"""Use cases for letters: drafts, four-eyes approval, sending, delivery, templates and policy.

Sending is a complaint transition: the lifecycle's ``complaint_send_letter`` locks the complaint,
asks ``letter_prepare_send`` for the draft and runs the matching use case, which records the
letter as sent in the same transaction as the state change (see ``lifecycle``). Every write
records history with the actor and the use case.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime

from django.db import transaction
from django_fsm import can_proceed

from common.announce import announce
from common.audit import Actor, history_user, save_audited
from common.errors import (
    ConflictError,
    NotFound,
    PermissionDeniedError,
    TransitionRefused,
    ValidationFailed,
    required,
)
from common.locking import lock_pk
from complaints import access
from complaints.access import Perm
from complaints.choices import ForwardPart, LetterLanguage, Outcome, Regime
from complaints.guards import event_date_not_stated
from complaints.models import Complaint, Firm

from . import content
from .choices import (
    FINAL_TYPE_FOR_OUTCOME,
    Delivery,
    LetterStatus,
    LetterType,
)
from .errors import LetterErrorCode
from .models import ApprovalPolicy, Letter, LetterTemplate, LetterTemplateVersion
from .rendering import LetterInputs, template_errors


def require_perm(actor: Actor, firm_id: int, perm: Perm) -> None:
    if not access.has_perm(actor, firm_id, perm):
        raise PermissionDeniedError(
            LetterErrorCode.PERMISSION_DENIED,
            f"Your role in this firm does not allow this ({perm.value.replace('_', ' ')}).",
        )


def lock_letter(letter_id: int, actor: Actor, perm: Perm) -> Letter:
    """Lock the letter, then refuse an actor whose role in its firm lacks ``perm``."""
    letter = lock_pk(
        Letter,
        letter_id,
        code=LetterErrorCode.NOT_FOUND,
        what="Letter",
        select_related=("complaint__firm", "complaint__complainant", "template_version"),
    )
    require_perm(actor, letter.complaint.firm_id, perm)
    return letter


def lock_firm(firm_id: int) -> Firm:
    return lock_pk(Firm, firm_id, code=LetterErrorCode.NOT_FOUND, what="Firm")


def _require_awaiting_approval(letter: Letter, transition: Callable[..., object]) -> None:
    """Only a letter submitted for approval can be approved or returned to its drafter."""
    if not can_proceed(transition):
        raise ConflictError(
            LetterErrorCode.NOT_AWAITING_APPROVAL,
            f"This letter is {letter.get_status_display().lower()}.",
        )


def _require_editable(letter: Letter) -> None:
    if letter.status not in LetterStatus.editable():
        raise ConflictError(
            LetterErrorCode.NOT_EDITABLE,
            f"This letter is {letter.get_status_display().lower()}: it can no longer change.",
            extra={"status": letter.status},
        )


# --- drafts --------------------------------------------------------------------------------


def validate_inputs(complaint: Complaint, letter_type: str, inputs: LetterInputs) -> None:
    """What the handler must supply for each letter type (bad input names each field)."""
    errors: dict[str, list[str]] = {}
    rule = None
    if letter_type not in LetterType.values or letter_type == LetterType.FORWARDING_COVER:
        errors["letter_type"] = [
            "Choose a letter type (the covering letter is drafted with its forwarding notice)."
        ]
    elif letter_type in LetterType.data_protection_types():
        errors["letter_type"] = [
            "Data-protection letters are sent from the complaint's data-protection panel."
        ]
    elif letter_type == LetterType.SUMMARY_RESOLUTION:
        if inputs.outcome not in Outcome.decisions():
            errors["outcome"] = [f"Choose one of {', '.join(Outcome.decisions())}."]
    elif letter_type in LetterType.final_types():
        if inputs.outcome not in Outcome.decisions():
            errors["outcome"] = [f"Choose one of {', '.join(Outcome.decisions())}."]
        elif FINAL_TYPE_FOR_OUTCOME[inputs.outcome] != letter_type:
            errors["outcome"] = [
                f"{Outcome(inputs.outcome).label} needs the "
                f"{LetterType(FINAL_TYPE_FOR_OUTCOME[inputs.outcome]).label} letter."
            ]
        needs_reasons = letter_type == LetterType.FINAL_REJECTED or (
            inputs.outcome == Outcome.PARTIALLY_UPHELD
        )
        if needs_reasons and not inputs.reasons.strip():
            errors["reasons"] = ["Give the reasons for rejecting the complaint (or the part)."]
            rule = "DISP 1.6.2R(1)(c)"
        if letter_type == LetterType.FINAL_REDRESS and not inputs.redress_summary.strip():
            errors["redress_summary"] = ["Describe the redress offered."]
            rule = "DISP 1.6.2R(1)(b)"
    elif letter_type in (LetterType.HOLDING, LetterType.HOLDING_PSD):
        psd = complaint.regime == Regime.PSD_EMD
        if psd != (letter_type == LetterType.HOLDING_PSD):
            errors["letter_type"] = [
                "PSD/EMD complaints get the PSD/EMD holding response; others the 8-week one."
            ]
        if not inputs.reasons.strip():
            errors["reasons"] = ["Explain why the final response cannot be sent yet."]
            rule = "DISP 1.6.2AR(2)(a)" if psd else "DISP 1.6.2R(2)(a)"
        if not psd and inputs.expected_final_response_on is None:
            errors["expected_final_response_on"] = ["Say when you expect to send it."]
            rule = "DISP 1.6.2R(2)(a)"
    elif letter_type == LetterType.PROGRESS_UPDATE:
        if not inputs.reasons.strip():
            errors["reasons"] = ["Say what has happened on the complaint so far."]
            rule = "DISP 1.6.1R(2)"
    elif letter_type == LetterType.FORWARDING_NOTICE:
        errors.update(
            required(
                other_firm_name=inputs.other_firm_name,
                other_firm_contact=inputs.other_firm_contact,
                reasons=inputs.reasons,
            )
        )
        if inputs.forward_part not in ForwardPart.values:
            errors["forward_part"] = [f"Choose one of {', '.join(ForwardPart.values)}."]
        rule = "DISP 1.7"
    # CP26/4 para 3.24: the event date, or that it is unknown, before a final or holding
    # response is drafted (the same refusal as sending one, complaints.guards).
    responses = (*LetterType.final_types(), LetterType.HOLDING, LetterType.HOLDING_PSD)
    if letter_type in responses and (refusal := event_date_not_stated(complaint)):
        errors.update(refusal.fields or {})
        rule = rule or refusal.rule
    ValidationFailed.check(
        LetterErrorCode.VALIDATION, "The letter could not be drafted", errors, rule=rule
    )


def letter_create_draft(
    *,
    complaint_id: int,
    letter_type: str,
    actor: Actor,
    now: datetime,
    outcome: str = "",
    consents_to_waive: bool = False,
    reasons: str = "",
    redress_summary: str = "",
    expected_final_response_on: date | None = None,
    other_firm_name: str = "",
    other_firm_contact: str = "",
    forward_part: str = "",
) -> Letter:
    """Draft a letter from the firm's current template. A forwarding notice is drafted with its
    covering letter to the other firm (DISP 1.7), and the two are sent together."""
    complaint = (
        Complaint.objects.select_related("firm", "complainant", "owner")
        .filter(pk=complaint_id)
        .first()
    )
    if complaint is None:
        raise NotFound(LetterErrorCode.NOT_FOUND, f"Complaint {complaint_id} not found.")
    require_perm(actor, complaint.firm_id, Perm.HANDLE_COMPLAINTS)
    if letter_type == LetterType.FORWARDING_NOTICE and not forward_part:
        forward_part = ForwardPart.WHOLE
    inputs = LetterInputs(
        outcome=outcome,
        consents_to_waive=consents_to_waive,
        reasons=reasons,
        redress_summary=redress_summary,
        expected_final_response_on=expected_final_response_on,
        other_firm_name=other_firm_name,
        other_firm_contact=other_firm_contact,
        forward_part=forward_part,
    )
    validate_inputs(complaint, letter_type, inputs)
    with transaction.atomic():
        cover = None
        if letter_type == LetterType.FORWARDING_NOTICE:
            cover = content.build_letter(
                complaint, LetterType.FORWARDING_COVER, inputs, actor=actor, now=now
            )
            save_audited(cover, actor=actor, reason="letter.draft")
        letter = content.build_letter(complaint, letter_type, inputs, actor=actor, now=now)
        letter.companion = cover
        save_audited(letter, actor=actor, reason="letter.draft")
    return letter


_EVALUATED = list(content.EVALUATED_FIELDS)
_APPROVAL = ["submitted_at", "approved_by", "approved_at"]
_EDIT_FIELDS = ["status", "subject", "body_text", "last_edited_by", *_APPROVAL, *_EVALUATED]


def letter_update_draft(
    *, letter_id: int, actor: Actor, now: datetime, subject: str, body_text: str
) -> Letter:
    """Edit a draft's wording. Any approval lapses: the approver approved other words."""
    errors = required(subject=subject, body_text=body_text)
    if errors:
        raise ValidationFailed(
            LetterErrorCode.VALIDATION, "A letter needs a subject and a body.", fields=errors
        )
    with transaction.atomic():
        letter = lock_letter(letter_id, actor, Perm.HANDLE_COMPLAINTS)
        _require_editable(letter)
        letter.edit(
            subject=" ".join(subject.split())[:200],
            body_text=body_text.strip().replace("\r\n", "\n"),
            by=actor,
        )
        content.evaluate(letter, letter_date=now)
        save_audited(letter, actor=actor, reason="letter.edit", update_fields=_EDIT_FIELDS)
    return letter


def _require_complete(letter: Letter) -> None:
    failed = letter.failed_checks
    if failed:
        raise TransitionRefused(
            LetterErrorCode.CONTENT_INCOMPLETE,
            f"The letter lacks {content.describe_failures(failed)}.",
            rule="; ".join(dict.fromkeys(c["rule"] for c in failed)),
            extra={"failed_checks": failed},
        )


def letter_submit_for_approval(*, letter_id: int, actor: Actor, now: datetime) -> Letter:
    with transaction.atomic():
        letter = lock_letter(letter_id, actor, Perm.HANDLE_COMPLAINTS)
        if not can_proceed(letter.submit):
            raise ConflictError(
                LetterErrorCode.NOT_EDITABLE,
                f"Only a draft can be submitted; this letter is "
                f"{letter.get_status_display().lower()}.",
            )
        content.evaluate(letter, letter_date=now)
        _require_complete(letter)
        letter.submit(on=now)
        save_audited(
            letter,
            actor=actor,
            reason="letter.submit",
            update_fields=["status", "submitted_at", "review_note", *_EVALUATED],
        )
        # The firm's approvers are told once it commits (notifications: the supervisor's inbox).
        announce("letter.submitted", letter.pk)
    return letter


def letter_approve(*, letter_id: int, actor: Actor, now: datetime, note: str = "") -> Letter:
    """Four eyes: a second user with the approve-letters permission, who neither drafted nor
    edited the letter, approves its exact wording."""
    with transaction.atomic():
        letter = lock_letter(letter_id, actor, Perm.APPROVE_LETTERS)
        if getattr(actor, "pk", None) in letter.drafter_ids:
            raise TransitionRefused(
                LetterErrorCode.SELF_APPROVAL,
                "You drafted or edited this letter, so you cannot approve it: another approver "
                "must.",
                rule="Firm policy: four-eyes approval",
            )
        _require_awaiting_approval(letter, letter.approve)
        # Approved for sending: a letter saying the leaflet is enclosed needs one on file.
        content.leaflet_to_enclose(letter, content.evaluate(letter, letter_date=now))
        _require_complete(letter)
        letter.approve(by=actor, on=now, note=note.strip())
        save_audited(
            letter,
            actor=actor,
            reason="letter.approve",
            update_fields=["status", "approved_by", "approved_at", "review_note", *_EVALUATED],
        )
    return letter


def letter_return_to_drafter(*, letter_id: int, actor: Actor, now: datetime, note: str) -> Letter:
    if errors := required(note=note):
        raise ValidationFailed(
            LetterErrorCode.VALIDATION, "Say what needs to change.", fields=errors
        )
    with transaction.atomic():
        letter = lock_letter(letter_id, actor, Perm.APPROVE_LETTERS)
        _require_awaiting_approval(letter, letter.return_to_drafter)
        letter.return_to_drafter(note=note.strip())
        save_audited(
            letter,
            actor=actor,
            reason="letter.return",
            update_fields=["status", *_APPROVAL, "review_note"],
        )
    return letter


def letter_discard(*, letter_id: int, actor: Actor, now: datetime) -> Letter:
    with transaction.atomic():
        letter = lock_letter(letter_id, actor, Perm.HANDLE_COMPLAINTS)
        _require_editable(letter)
        letter.discard()
        save_audited(letter, actor=actor, reason="letter.discard", update_fields=["status"])
        if letter.companion_id:
            companion = lock_letter(letter.companion_id, actor, Perm.HANDLE_COMPLAINTS)
            if can_proceed(companion.discard):
                companion.discard()
                save_audited(
                    companion, actor=actor, reason="letter.discard", update_fields=["status"]
                )
    return letter


# --- sending -------------------------------------------------------------------------------


def require_delivery(delivery: str) -> None:
    if delivery not in Delivery.values:
        raise ValidationFailed(
            LetterErrorCode.VALIDATION,
            f"Unknown delivery {delivery!r}.",
            fields={"delivery": [f"Choose one of {', '.join(Delivery.values)}."]},
        )


def letter_prepare_send(*, letter_id: int, actor: Actor, delivery: str | None) -> Letter:
    """Lock a draft for sending and check it may go (the caller, the lifecycle's
    ``complaint_send_letter``, already holds the complaint's lock: lock order complaint first).

    The complaint transition the letter belongs to then records it as sent in the same
    transaction (see ``lifecycle``). Without a ``delivery`` the letter goes the complainant's
    preferred way (``content.default_delivery``)."""
    if delivery is not None:
        require_delivery(delivery)
    letter = lock_letter(letter_id, actor, Perm.HANDLE_COMPLAINTS)
    _require_editable(letter)
    if letter.letter_type == LetterType.FORWARDING_COVER:
        raise ConflictError(
            LetterErrorCode.SEND_WITH_NOTICE,
            "The covering letter is sent with its forwarding notice: send the notice.",
            rule="DISP 1.7",
        )
    if delivery == Delivery.EMAIL_AND_POST:
        letter.delivery = Delivery.EMAIL_AND_POST
        save_audited(letter, actor=actor, reason="letter.delivery", update_fields=["delivery"])
    return letter


# --- templates and policy ------------------------------------------------------------------


def letter_template_save(
    *,
    firm_id: int,
    letter_type: str,
    actor: Actor,
    now: datetime,
    subject: str,
    body: str,
    note: str = "",
    language: str = LetterLanguage.ENGLISH,
) -> LetterTemplateVersion:
    """Save a firm's template (in ``language``) as a new version. Letters already drafted or
    sent keep theirs."""
    require_perm(actor, firm_id, Perm.MANAGE_FIRM)
    errors: dict[str, list[str]] = {}
    if letter_type not in LetterType.values:
        errors["letter_type"] = ["Unknown letter type."]
    if language not in LetterLanguage.values:
        errors["language"] = ["Choose en or cy."]
    for field, text in (("subject", subject), ("body", body)):
        if problems := ["Required."] if not text.strip() else template_errors(text):
            errors[field] = problems
    ValidationFailed.check(
        LetterErrorCode.TEMPLATE_INVALID, "The template could not be saved", errors
    )
    with transaction.atomic():
        # The firm's row serialises its template edits: version numbers never collide.
        firm = lock_firm(firm_id)
        key = {"firm": firm, "letter_type": letter_type, "language": language}
        template = LetterTemplate.objects.filter(**key).first()
        if template is None:
            template = LetterTemplate(**key, created_at=now)
            save_audited(template, actor=actor, reason="letter_template.create")
        latest = template.versions.order_by("-number").first()
        version = LetterTemplateVersion(
            template=template,
            number=(latest.number + 1) if latest else 1,
            subject=" ".join(subject.split()),
            body=body.strip().replace("\r\n", "\n"),
            note=note.strip()[:200],
            created_by=history_user(actor),
            created_at=now,
        )
        save_audited(version, actor=actor, reason="letter_template.version")
    return version


def approval_policy_set(
    *, firm_id: int, letter_type: str, required: bool, actor: Actor, now: datetime
) -> ApprovalPolicy:
    require_perm(actor, firm_id, Perm.MANAGE_FIRM)
    if letter_type not in LetterType.values:
        raise ValidationFailed(
            LetterErrorCode.VALIDATION,
            "Unknown letter type.",
            fields={"letter_type": ["Unknown letter type."]},
        )
    with transaction.atomic():
        # Locking the firm, not the policy row, also serialises the first setting of a policy.
        lock_firm(firm_id)
        policy = ApprovalPolicy.objects.filter(firm_id=firm_id, letter_type=letter_type).first()
        if policy is None:
            policy = ApprovalPolicy(firm_id=firm_id, letter_type=letter_type)
        policy.requires_approval = required
        policy.updated_by = history_user(actor)
        policy.updated_at = now
        save_audited(
            policy,
            actor=actor,
            reason="letter_policy.set",
            update_fields=(
                None if policy._state.adding else ["requires_approval", "updated_by", "updated_at"]
            ),
        )
    return policy
