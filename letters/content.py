"""Building a letter's content: which template, what it says, and whether DISP is satisfied.

Shared by drafting (services), sending inside a lifecycle transition (lifecycle) and previews.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, fields
from datetime import date, datetime, time
from zoneinfo import ZoneInfo

from django.db import IntegrityError, transaction

from common.dates import london_date
from common.errors import ConflictError
from complaints.choices import LetterLanguage, Regime, UnknownEventDateWording
from complaints.models import Complaint, Firm, Representative

from . import defaults
from .checks.fos import LEAFLET_MISSING
from .checks.runner import run_checks
from .checks.spec import Facts
from .checks.text import (
    CONSENT,
    FOS_REFERRAL,
    LEAFLET,
    has_six_month_wording,
    html_to_text,
    normalise,
)
from .checks.welsh import has_either
from .choices import Delivery, LetterType, Recipient
from .errors import LetterErrorCode
from .models import FosLeaflet, Letter, LetterTemplate, LetterTemplateVersion
from .pdf import pdf_bytes
from .rendering import (
    LetterInputs,
    document_html,
    fos_available_for,
    fos_unavailable_because,
    ledger_redress,
    merge_values,
    render_template_text,
)

EMAIL_RE = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")


def ensure_system_template(
    letter_type: str, *, now: datetime, language: str = LetterLanguage.ENGLISH
) -> LetterTemplateVersion:
    """The system default for ``letter_type``: its latest version, which always carries the
    standard wording in ``defaults``. Seeded by migration 0002 (and re-created here if a test
    database was flushed); when the standard wording changes, the first use after the release
    (or the next ``migrate``, see ``apps``) adds it as a new version, so letters already sent keep
    the version they used. A firm's own templates are never touched."""
    key = {"firm": None, "letter_type": letter_type, "language": language}
    template = LetterTemplate.objects.filter(**key).first()
    if template is None:
        try:
            with transaction.atomic():
                template = LetterTemplate.objects.create(**key, created_at=now)
        except IntegrityError:
            template = LetterTemplate.objects.get(**key)
    version = template.versions.order_by("-number").first()
    subject, body = defaults.default_template(letter_type, language)
    if version is not None and (version.subject, version.body) == (subject, body):
        return version
    number = version.number + 1 if version is not None else 1
    try:
        with transaction.atomic():
            return LetterTemplateVersion.objects.create(
                template=template,
                number=number,
                subject=subject,
                body=body,
                note="Standard wording" if number == 1 else "Standard wording updated",
                created_at=now,
            )
    except IntegrityError:
        return template.versions.get(number=number)


def current_version(
    firm: Firm, letter_type: str, *, now: datetime, language: str = LetterLanguage.ENGLISH
) -> LetterTemplateVersion:
    """The firm's latest version of its own template in ``language``, else the system
    default in that language."""
    version = (
        LetterTemplateVersion.objects.filter(
            template__firm=firm, template__letter_type=letter_type, template__language=language
        )
        .select_related("template")
        .order_by("-number")
        .first()
    )
    return version or ensure_system_template(letter_type, now=now, language=language)


def letter_language(complaint: Complaint, letter_type: str) -> str:
    """The language a letter is drafted in: Welsh when the complainant asked for it and the firm
    offers Welsh; English otherwise, and always for the covering letter to another firm. (A
    letter type with no Welsh standard wording yet stays English rather than fail; the test of
    ``defaults_cy`` names it.)"""
    welsh = (
        complaint.complainant.letter_language == LetterLanguage.WELSH
        and complaint.firm.offers_welsh
        and recipient_for(letter_type) == Recipient.COMPLAINANT
        and defaults.has_welsh(letter_type)
    )
    return LetterLanguage.WELSH if welsh else LetterLanguage.ENGLISH


def inputs_of(letter: Letter) -> LetterInputs:
    """The handler's choices as the letter stored them (one column per input, same name)."""
    return LetterInputs(**{f.name: getattr(letter, f.name) for f in fields(LetterInputs)})


# Letters that are themselves a final response or SRC: once sent, the Ombudsman may consider
# the complaint (DISP 2.8.1R(1); the forwarding notice, DISP 1.7.1R(2); the time-barred
# rejection, DISP 1.8).
_RESPONSE_TYPES = {
    *LetterType.final_types(),
    LetterType.SUMMARY_RESOLUTION,
    LetterType.TIME_BARRED,
    LetterType.FORWARDING_NOTICE,
}


def _moment(letter_date: date | datetime) -> datetime:
    """A send date given as a day is read as its end, London time (the latest it may be sent)."""
    if isinstance(letter_date, datetime):
        return letter_date
    return datetime.combine(letter_date, time.max, tzinfo=ZoneInfo("Europe/London"))


def facts_for(
    letter_type: str,
    complaint: Complaint,
    inputs: LetterInputs,
    fos: bool,
    *,
    letter_date: date | datetime,
    language: str = LetterLanguage.ENGLISH,
) -> Facts:
    """The facts the letter's checks depend on, on the date it is sent (``letter_date``)."""
    open_on_send = fos and complaint.fos_may_consider(
        _moment(letter_date), final_response=letter_type in _RESPONSE_TYPES
    )
    return Facts(
        letter_type=letter_type,
        fos_available=fos,
        fos_unavailable_because=fos_unavailable_because(complaint, fos),
        fos_open_on_send=open_on_send,
        consents_to_waive=inputs.consents_to_waive,
        is_psd=complaint.regime == Regime.PSD_EMD,
        outcome=inputs.outcome,
        has_redress=bool(inputs.redress_summary.strip()),
        has_reasons=bool(inputs.reasons.strip()),
        partial_forward=inputs.forward_part == "part",
        redress_amounts=tuple(r.amount for r in ledger_redress(complaint) if r.amount),
        leaflet_enclosed=FosLeaflet.objects.filter(firm_id=complaint.firm_id).exists(),
        language=language,
    )


def addressee_for(complaint: Complaint, letter_type: str, on: date) -> Representative | None:
    """The representative a letter of ``letter_type`` goes to on ``on``: the complainant's
    letter-receiving representative while their authority is valid (on file, checked, not
    expired, still acting). Otherwise None: the letter goes to the complainant, who is the
    firm's customer and whom the firm may always write to (the fallback rule in
    docs/representatives.md). The covering letter of DISP 1.7 goes to the other firm."""
    if letter_type == LetterType.FORWARDING_COVER:
        return None
    rep = Representative.objects.correspondent_for(complaint.complainant_id)
    if rep is None or rep.authority_problem(on) is not None:
        return None
    return rep


def recipient_for(letter_type: str, representative: Representative | None = None) -> str:
    if letter_type == LetterType.FORWARDING_COVER:
        return Recipient.OTHER_FIRM
    return Recipient.REPRESENTATIVE if representative is not None else Recipient.COMPLAINANT


def recipient_details(letter: Letter) -> tuple[str, str, str]:
    """(name, address, email) of who the letter is addressed to."""
    if letter.recipient == Recipient.OTHER_FIRM:
        contact = letter.other_firm_contact
        match = EMAIL_RE.search(contact)
        address = "\n".join(part.strip() for part in re.split(r"[,\n]", contact) if part.strip())
        return letter.other_firm_name, address, match.group(0) if match else ""
    rep = letter.representative
    if letter.recipient == Recipient.REPRESENTATIVE and rep is not None:
        lines = [rep.organisation] if rep.organisation and rep.organisation != rep.name else []
        return rep.name, "\n".join([*lines, rep.address]), rep.email
    person = letter.complaint.complainant
    return person.name, person.address, person.email


def default_delivery(letter: Letter) -> str:
    """How the letter goes unless the handler chooses otherwise: the complainant's preferred
    channel (a reasonable adjustment), else e-mail where there is an address and post where
    there is none. Never e-mail to a recipient with no e-mail address."""
    _, _, email = recipient_details(letter)
    if letter.recipient == Recipient.COMPLAINANT:
        chosen = letter.complaint.complainant.letter_channel  # post, email, phone: Delivery's
    else:
        chosen = Delivery.EMAIL if email else Delivery.POST
    return Delivery.POST if Delivery(chosen).emails and not email else chosen


def shown_digest(letter: Letter, html: str) -> str:
    """A letter as a person was shown it: its type, addressee and rendered text (its date
    included). A confirmation carries it, and the step it confirms refuses a letter whose digest
    differs (it changed in between). The PDF is left out: its bytes carry the moment it was
    made; its text is the HTML's."""
    h = hashlib.sha256()
    for part in (letter.letter_type, *recipient_details(letter), html):
        h.update(part.encode())
        h.update(b"\x00")
    return h.hexdigest()


def letter_pdf(letter: Letter, html: str) -> bytes:
    """The letter's PDF: tagged, titled and in the letter's language; PDF/UA-1 where the
    complainant asked for accessible letters."""
    accessible = (
        letter.recipient == Recipient.COMPLAINANT and letter.complaint.complainant.accessible_pdf
    )
    return pdf_bytes(html, accessible=accessible)


def copy_email_for(letter: Letter) -> str:
    """Where the complainant's copy of a letter to their representative is e-mailed: their
    address when the representative's authority says they get copies, else nothing."""
    rep = letter.representative
    if letter.recipient != Recipient.REPRESENTATIVE or rep is None or not rep.copy_to_complainant:
        return ""
    return letter.complaint.complainant.email


@dataclass
class Content:
    subject: str
    body_text: str
    values: dict


def render_content(
    complaint: Complaint,
    letter_type: str,
    inputs: LetterInputs,
    version: LetterTemplateVersion,
    *,
    signatory,
    fos_available: bool,
    language: str = LetterLanguage.ENGLISH,
    representative: Representative | None = None,
) -> Content:
    values = merge_values(
        complaint,
        inputs,
        signatory=signatory,
        fos_available=fos_available,
        language=language,
        representative=representative,
    )
    subject = " ".join(render_template_text(version.subject, values).split())[:200]
    return Content(subject, render_template_text(version.body, values), values)


def build_letter(
    complaint: Complaint, letter_type: str, inputs: LetterInputs, *, actor, now: datetime
) -> Letter:
    """An unsaved letter rendered from the firm's current template, with its checks run."""
    language = letter_language(complaint, letter_type)
    version = current_version(complaint.firm, letter_type, now=now, language=language)
    fos = fos_available_for(complaint)
    signatory = complaint.owner or actor
    representative = addressee_for(complaint, letter_type, london_date(now))
    content = render_content(
        complaint,
        letter_type,
        inputs,
        version,
        signatory=signatory,
        fos_available=fos,
        language=language,
        representative=representative,
    )
    letter = Letter(
        complaint=complaint,
        letter_type=letter_type,
        recipient=recipient_for(letter_type, representative),
        representative=representative,
        template_version=version,
        outcome=inputs.outcome,
        consents_to_waive=inputs.consents_to_waive,
        reasons=inputs.reasons.strip(),
        redress_summary=inputs.redress_summary.strip(),
        expected_final_response_on=inputs.expected_final_response_on,
        other_firm_name=inputs.other_firm_name.strip(),
        other_firm_contact=inputs.other_firm_contact.strip(),
        forward_part=inputs.forward_part,
        fos_available=fos,
        language=language,
        subject=content.subject,
        body_text=content.body_text,
        created_by=actor if getattr(actor, "pk", None) else None,
        created_at=now,
    )
    evaluate(letter, letter_date=now)
    return letter


def letter_document(letter: Letter, *, letter_date: date | datetime, draft: bool) -> str:
    """The letter's whole document. Large print follows the complainant's adjustment (never a
    letter to another firm); the language is the letter's."""
    name, address, _ = recipient_details(letter)
    large_print = (
        letter.recipient == Recipient.COMPLAINANT and letter.complaint.complainant.large_print
    )
    return document_html(
        firm=letter.complaint.firm,
        subject=letter.subject,
        body_text=letter.body_text,
        letter_date=letter_date,
        reference=letter.complaint.reference,
        recipient_name=name,
        recipient_address=address,
        client_name=letter.complaint.complainant.name if letter.representative_id else "",
        draft=draft,
        language=letter.language,
        large_print=large_print,
    )


def draft_pdf(letter: Letter, *, now: datetime) -> bytes:
    """The unsent letter as a PDF marked DRAFT, dated ``now``."""
    return letter_pdf(letter, letter_document(letter, letter_date=now, draft=True))


# What ``evaluate`` writes on the letter: a save after it names these.
EVALUATED_FIELDS = (
    "check_results",
    "includes_six_month_wording",
    "includes_fos_referral_right",
    "includes_waiver_consent",
)


def evaluate(letter: Letter, *, letter_date: date | datetime) -> str:
    """Run the mandatory-content checks on the rendered letter and store the results and the
    flags that follow from them (DISP 2.8.3G six-month wording, FOS referral right, consent).
    Returns the final document HTML the checks ran on."""
    complaint = letter.complaint
    inputs = inputs_of(letter)
    html = letter_document(letter, letter_date=letter_date, draft=False)
    values = merge_values(
        complaint,
        inputs,
        signatory=None,
        fos_available=letter.fos_available,
        language=letter.language,
        representative=letter.representative,
    )
    facts = facts_for(
        letter.letter_type,
        complaint,
        inputs,
        letter.fos_available,
        letter_date=letter_date,
        language=letter.language,
    )
    results = run_checks(facts, html, values)
    letter.check_results = [r.as_dict() for r in results]
    text = normalise(html_to_text(html))
    letter.includes_six_month_wording = letter.fos_available and has_six_month_wording(text)
    letter.includes_fos_referral_right = letter.fos_available and has_either(FOS_REFERRAL, text)
    letter.includes_waiver_consent = (
        letter.fos_available and letter.consents_to_waive and has_either(CONSENT, text)
    )
    return html


# DISP 1.6.2R(1)(d) (final responses) and (2)(c) (holding responses): the leaflet itself.
LEAFLET_RULE = "DISP 1.6.2R(1)(d); DISP 1.6.2R(2)(c)"

# What the standard letters say about the Ombudsman under each choice of
# ``Firm.unknown_event_date_wording`` (CP26/4 para 3.24): the first sentence of their wording.
UNKNOWN_EVENT_DATE_SAYS: dict[str, str] = {
    choice.value: text.split(". ")[0] + "."
    for choice, text in (
        (UnknownEventDateWording.OFFER_FOS, defaults.ANNEX_3R_NO_CONSENT),
        (UnknownEventDateWording.FOS_MAY_NOT, defaults.FOS_EVENT_DATE_UNKNOWN),
    )
}


def says_leaflet_enclosed(html: str) -> bool:
    """The letter says, in English or Welsh, that the FOS leaflet is enclosed."""
    return has_either(LEAFLET, normalise(html_to_text(html)))


def leaflet_to_enclose(letter: Letter, html: str) -> FosLeaflet | None:
    """The FOS leaflet that goes with ``letter`` (rendered as ``html``): the firm's current one
    when the letter says the leaflet is enclosed, None when it does not say so. A letter that
    says so while the firm has no leaflet on file is refused: "enclosed" would be untrue."""
    if not says_leaflet_enclosed(html):
        return None
    leaflet = FosLeaflet.objects.current_for(letter.complaint.firm_id)
    if leaflet is None:
        raise ConflictError(
            LetterErrorCode.FOS_LEAFLET_MISSING,
            LEAFLET_MISSING,
            rule=LEAFLET_RULE,
            fields={"fos_leaflet": ["No FOS leaflet is on file: upload the current one."]},
        )
    return leaflet


def describe_failures(failed: list[dict]) -> str:
    """Each failed check by its label and rule, with the facts it found unstated (the redress
    ledger's amounts), so the refusal names what to add."""
    return "; ".join(
        f"{c['label']} ({c['rule']})"
        + (f": {', '.join(c['unstated'])} not stated" if c.get("unstated") else "")
        for c in failed
    )
