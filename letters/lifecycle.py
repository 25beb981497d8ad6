"""The letter side of a complaint transition: called by ``complaints.services`` inside the
transaction that moves the complaint, so the state never changes without its sent letter.

``issue`` takes an approved (or, without four-eyes, ready) draft, or renders the firm's current
template when no draft is given; runs the mandatory-content checks on the final text (a failure
raises and rolls the whole action back); renders the PDF. ``Issued.mark_sent`` then records the
letter as sent against the new Communication, and writes the e-mail to the outbox in the same
transaction (``common.outbox`` delivers it once committed).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta

from django.conf import settings

from common.audit import Actor, history_user, save_audited
from common.dates import london_date
from common.errors import ConflictError, NotFound, TransitionRefused, ValidationFailed
from common.locking import lock_row
from complaints.choices import DeliveryMethod, Regime
from complaints.models import Communication, Complaint
from complaints.models.representatives import AUTHORITY_RULE

from . import content
from .choices import (
    FINAL_TYPE_FOR_OUTCOME,
    TYPE_FOR_ACTION,
    Delivery,
    LetterStatus,
    LetterType,
    Recipient,
)
from .delivery import queue_email
from .errors import LetterErrorCode
from .models import SENT_FIELDS, ApprovalPolicy, FosLeaflet, Letter
from .rendering import LetterInputs, fos_available_for


def requires_approval(firm_id: int, letter_type: str) -> bool:
    return ApprovalPolicy.objects.filter(
        firm_id=firm_id, letter_type=letter_type, requires_approval=True
    ).exists()


def letter_type_for(action: str, complaint: Complaint, outcome: str = "") -> str:
    if action == "send_final_response":
        return FINAL_TYPE_FOR_OUTCOME[outcome]
    if action == "send_holding_response" and complaint.regime == Regime.PSD_EMD:
        return LetterType.HOLDING_PSD
    return TYPE_FOR_ACTION[action]


def default_expected_date(complaint: Complaint, sent_at: datetime) -> date | None:
    """DISP 1.6.2R(2)(a) needs a date; PSD/EMD holding responses give the 35-business-day
    deadline (DISP 1.6.2AR(2)). With no date from the handler, firm policy sets one."""
    if complaint.regime == Regime.PSD_EMD:
        return complaint.extended_final_response_due
    days = getattr(settings, "LETTERS_HOLDING_EXPECTED_DAYS", 28)
    return london_date(sent_at) + timedelta(days=days)


@dataclass
class Issued:
    letter: Letter
    html: str
    pdf: bytes
    delivery: str
    actor: Actor
    sent_at: datetime
    leaflet: FosLeaflet | None = None  # the FOS leaflet that goes with it (DISP 1.6.2R(1)(d))

    @property
    def six_month(self) -> bool:
        return self.letter.includes_six_month_wording

    @property
    def fos_right(self) -> bool:
        return self.letter.includes_fos_referral_right

    @property
    def waiver(self) -> bool:
        return self.letter.includes_waiver_consent

    @property
    def method(self) -> str:
        """The Communication's delivery method."""
        return DeliveryMethod.EMAIL if Delivery(self.delivery).emails else self.delivery

    def mark_sent(self, communication: Communication) -> Letter:
        letter = self.letter
        _, _, email = content.recipient_details(letter)
        emails = Delivery(self.delivery).emails
        letter.mark_sent(
            html=self.html,
            pdf=self.pdf,
            sent_at=self.sent_at,
            sent_by=history_user(self.actor),
            communication=communication,
            delivery=self.delivery,
            recipient_email=email if emails else "",
            copy_email=content.copy_email_for(letter) if emails else "",
            fos_leaflet=self.leaflet,
        )
        # The audit says what went with it: "letter.send: enclosed FOS leaflet v3 (…), checked …".
        enclosed = f": enclosed {self.leaflet.describe()}" if self.leaflet else ""
        save_audited(
            letter,
            actor=self.actor,
            reason=f"letter.send{enclosed}",
            update_fields=[*SENT_FIELDS, *content.EVALUATED_FIELDS],
        )
        if Delivery(self.delivery).emails:
            # The intent commits with the letter; the outbox e-mails it (at least once).
            queue_email(letter)
        return letter


def issue(
    *,
    complaint: Complaint,
    action: str,
    letter_id: int | None,
    actor: Actor,
    now: datetime,
    sent_at: datetime,
    method: str | None,
    inputs: LetterInputs,
    letter_type: str | None = None,
) -> Issued:
    """Prepare the letter for ``action`` on the locked ``complaint`` (see module docstring)."""
    issued = prepare(
        complaint=complaint,
        action=action,
        letter_id=letter_id,
        actor=actor,
        now=now,
        sent_at=sent_at,
        method=method,
        inputs=inputs,
        letter_type=letter_type,
    )
    if issued.letter.pk is None:
        save_audited(issued.letter, actor=actor, reason="letter.generate")
    return issued


def prepare(
    *,
    complaint: Complaint,
    action: str,
    letter_id: int | None,
    actor: Actor,
    now: datetime,
    sent_at: datetime,
    method: str | None,
    inputs: LetterInputs,
    letter_type: str | None = None,
    preview: bool = False,
) -> Issued:
    """The letter ``issue`` sends, rendered and checked, written nowhere: a new letter is left
    unsaved and a draft unlocked when ``preview`` (the confirmation page shows it). A preview
    keeps failed content checks on the letter for the page to show; sending refuses them."""
    letter_type = letter_type or letter_type_for(action, complaint, inputs.outcome)
    if letter_id is None:
        if requires_approval(complaint.firm_id, letter_type):
            raise TransitionRefused(
                LetterErrorCode.APPROVAL_REQUIRED,
                f"{LetterType(letter_type).label}: this firm requires a second person to approve "
                "the letter before it is sent. Draft it in the letters workspace and ask an "
                "approver.",
                rule="Firm policy: four-eyes approval",
            )
        if letter_type in (LetterType.HOLDING, LetterType.HOLDING_PSD) and (
            inputs.expected_final_response_on is None
        ):
            inputs = replace(
                inputs, expected_final_response_on=default_expected_date(complaint, sent_at)
            )
        letter = content.build_letter(complaint, letter_type, inputs, actor=actor, now=now)
    else:
        letter = _ready_draft(complaint, letter_id, letter_type, inputs, lock=not preview)
    delivery = _delivery(letter, method or content.default_delivery(letter))
    html = content.evaluate(letter, letter_date=sent_at)
    leaflet = content.leaflet_to_enclose(letter, html)
    failed = letter.failed_checks
    if failed and not preview:
        raise TransitionRefused(
            LetterErrorCode.CONTENT_INCOMPLETE,
            f"{LetterType(letter_type).label} cannot be sent: it lacks "
            f"{content.describe_failures(failed)}.",
            rule="; ".join(dict.fromkeys(c["rule"] for c in failed)),
            fields={"letter": [f"{c['key']}: {c['label']} ({c['rule']})" for c in failed]},
            extra={"failed_checks": failed, "letter_type": letter_type},
        )
    _require_addressee(complaint, letter, london_date(sent_at))
    _require_email(letter, delivery)
    return Issued(letter, html, content.letter_pdf(letter, html), delivery, actor, sent_at, leaflet)


def digest(letters: list[Issued]) -> str:
    """What binds a confirmation to the letters it showed: each letter as shown
    (``content.shown_digest``) and how it goes. Sending refuses a different digest, so a letter
    that changed after it was shown (a template edited, the complaint changed, a day passed) is
    shown again rather than sent unseen."""
    parts = [f"{content.shown_digest(i.letter, i.html)}:{i.delivery}" for i in letters]
    return hashlib.sha256("\n".join(parts).encode()).hexdigest()


def _ready_draft(
    complaint: Complaint, letter_id: int, letter_type: str, inputs, *, lock: bool = True
) -> Letter:
    drafts = Letter.objects.filter(complaint_id=complaint.pk)
    missing = f"Letter {letter_id} not found on this complaint."
    if lock:
        letter = lock_row(
            drafts,
            letter_id,
            code=LetterErrorCode.NOT_FOUND,
            message=missing,
            select_related=("template_version",),
        )
    else:
        found = drafts.select_related("template_version").filter(pk=letter_id).first()
        if found is None:
            raise NotFound(LetterErrorCode.NOT_FOUND, missing)
        letter = found
    letter.complaint = complaint
    if letter.status not in LetterStatus.editable():
        raise ConflictError(
            LetterErrorCode.NOT_EDITABLE,
            f"This letter is {letter.get_status_display().lower()} and cannot be sent.",
        )
    if letter.letter_type != letter_type:
        raise ValidationFailed(
            LetterErrorCode.LETTER_MISMATCH,
            f"The draft is a {LetterType(letter.letter_type).label}; this action sends a "
            f"{LetterType(letter_type).label}.",
            fields={"letter_id": ["Wrong letter type for this action."]},
        )
    if inputs.outcome and letter.outcome and inputs.outcome != letter.outcome:
        raise ValidationFailed(
            LetterErrorCode.LETTER_MISMATCH,
            "The outcome differs from the one in the drafted letter.",
            fields={"outcome": [f"The letter says {letter.get_outcome_display()}."]},
        )
    if letter.fos_available != fos_available_for(complaint):
        raise ConflictError(
            LetterErrorCode.LETTER_MISMATCH,
            "Whether the Financial Ombudsman Service is available for this complaint changed "
            "after the letter was drafted. Draft it again.",
            rule="CP26/4 para 3.29",
        )
    if requires_approval(complaint.firm_id, letter_type) and letter.status != LetterStatus.APPROVED:
        raise TransitionRefused(
            LetterErrorCode.APPROVAL_REQUIRED,
            "This letter needs a second person's approval before it can be sent.",
            rule="Firm policy: four-eyes approval",
        )
    return letter


def _delivery(letter: Letter, method: str) -> str:
    if letter.delivery == Delivery.EMAIL_AND_POST and method == DeliveryMethod.EMAIL:
        return Delivery.EMAIL_AND_POST
    if method not in Delivery.values:
        raise ValidationFailed(
            LetterErrorCode.VALIDATION,
            f"Unknown delivery method {method!r}.",
            fields={"method": [f"Choose one of {', '.join(Delivery.values)}."]},
        )
    return method


def _require_addressee(complaint: Complaint, letter: Letter, on: date) -> None:
    """A letter goes to whom it is addressed only if that is still right on the day it is sent:
    a representative's authority may have lapsed (or been recorded) since it was drafted. The
    letter is refused, naming the field to fix, rather than sent to someone else under another
    person's salutation (docs/representatives.md)."""
    if letter.recipient == Recipient.OTHER_FIRM:
        return
    rep = letter.representative
    if rep is not None and (problem := rep.authority_problem(on)):
        field, reason = problem
        raise TransitionRefused(
            LetterErrorCode.REPRESENTATIVE_AUTHORITY,
            f"{reason} The letter is addressed to them: record valid authority, or draft the "
            "letter again to go to the complainant.",
            rule=AUTHORITY_RULE,
            fields={field: [reason]},
        )
    current = content.addressee_for(complaint, letter.letter_type, on)
    if current is not None and rep is None:
        raise TransitionRefused(
            LetterErrorCode.REPRESENTATIVE_AUTHORITY,
            f"{current.display_name} now acts for the complainant with valid authority, but "
            "the letter is addressed to the complainant: draft it again.",
            rule=AUTHORITY_RULE,
            fields={"recipient": [f"Letters now go to {current.display_name}."]},
        )


def _require_email(letter: Letter, delivery: str) -> None:
    if Delivery(delivery).emails and not content.recipient_details(letter)[2]:
        who = {
            Recipient.OTHER_FIRM: "the other firm",
            Recipient.REPRESENTATIVE: "the complainant's representative",
        }.get(Recipient(letter.recipient), "the complainant")
        raise ValidationFailed(
            LetterErrorCode.RECIPIENT_EMAIL_MISSING,
            f"There is no email address for {who}: send the letter by post instead.",
            fields={"method": [f"No email address for {who}."]},
        )
