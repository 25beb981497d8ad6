"""Rendering letters: a sandboxed template engine, the merge context and the HTML (PDFs: ``pdf``).

The template text is rendered as plain text (no autoescaping: nothing it produces is trusted as
HTML). The result is then escaped and laid out as paragraphs, headings and lists by
``text_to_html``, and placed in the firm's letter layout (``letters/document.html``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from functools import lru_cache
from typing import Any, ClassVar

from django.conf import settings
from django.template import Context, Engine, TemplateSyntaxError
from django.template.base import VariableNode
from django.template.defaulttags import ForNode, IfNode
from django.template.loader import render_to_string
from django.utils.html import escape

from common import display
from common.dates import cy_date, uk_date
from complaints.choices import (
    ForwardPart,
    LetterLanguage,
    RedressKind,
    RedressStatus,
    Regime,
)
from complaints.disp.fos_access import FosBasis
from complaints.models import Complaint, Representative

from .dpa_wording import ICO_CONTACT_DEFAULTS

FOS_CONTACT_DEFAULTS = {
    "fos_name": "Financial Ombudsman Service",
    "fos_address": "Financial Ombudsman Service, Exchange Tower, London E14 9SR",
    "fos_phone": "0800 023 4567",
    "fos_email": "complaint.info@financial-ombudsman.org.uk",
    "fos_website": "https://www.financial-ombudsman.org.uk",
}

# name -> help text, shown in the editor. Only these names may appear in a template.
MERGE_FIELDS: dict[str, str] = {
    "complainant_name": "Complainant's name",
    "addressee_name": "Who the letter is addressed to: the complainant's representative while "
    "their authority is valid, else the complainant",
    "complainant_address": "Complainant's postal address",
    "complainant_email": "Complainant's email address",
    "reference": "Complaint reference",
    "received_date": "Date the complaint was received",
    "activity": "The activity complained about",
    "complaint_description": "What the complainant complains about",
    "event_date": "Date of the event complained of",
    "awareness_date": "Date the complainant became aware",
    "time_bar_date": "DISP 2.8.2R(2) limit date",
    "src_deadline": "SRC deadline (DISP 1.5.1R)",
    "final_response_due": "Final response due (8 weeks, or 15 business days for PSD/EMD)",
    "extended_final_response_due": "PSD/EMD final response deadline (35 business days)",
    "expected_final_response_date": "When the firm expects to send its final response",
    "handler_name": "Name of the handler signing the letter",
    "firm_name": "Firm name",
    "firm_address": "Firm address",
    "firm_frn": "Firm reference number",
    "firm_complaints_email": "Firm complaints email",
    "firm_complaints_phone": "Firm complaints telephone",
    "fos_name": "Financial Ombudsman Service",
    "fos_address": "FOS postal address",
    "fos_phone": "FOS telephone",
    "fos_email": "FOS email",
    "fos_website": "FOS website",
    "ico_name": "Information Commissioner's Office (DPA 2018 s.164A outcome letters)",
    "ico_address": "ICO postal address",
    "ico_phone": "ICO helpline",
    "ico_website": "ICO complaint web page",
    "fos_available": "True unless the FOS cannot consider the complaint (activity not carried "
    "on from a UK establishment, an event before the regime's commencement, or an unknown event "
    "date where the firm says the FOS may not be able to consider it)",
    "fos_unavailable_because": "Why the FOS is not offered: no_uk_establishment, "
    "before_commencement or event_date_unknown (empty when it is offered)",
    "fos_commencement_date": "The day the cryptoasset regime began (CP26/4 para 3.24)",
    "is_psd": "True for a PSD/EMD complaint (15/35 business days)",
    "consents_to_waive": "True if the firm consents to waive the DISP 2.8 time limits",
    "outcome": "The decision (Upheld, Not upheld, ...)",
    "outcome_code": "The decision code (upheld, partially_upheld, not_upheld, goodwill)",
    "reasons": "Reasons (for the decision, the delay or the forwarding)",
    "redress_summary": "Redress or remedial action offered",
    "redress_ledger": "The redress ledger's offered, accepted and paid items, one line each",
    "other_firm_name": "DISP 1.7: the other firm",
    "other_firm_contact": "DISP 1.7: the other firm's contact details",
    "is_partial_forward": "DISP 1.7: only part of the complaint is forwarded",
    "rest_forwarded": "DISP 1.7: parts were forwarded earlier; this forwards the rest",
    "rest_response_due": "DISP 1.7: when the firm will answer the part it keeps",
}


class SandboxEngine(Engine):
    # No default builtins: only the whitelisted library below is available.
    default_builtins: ClassVar[list[str]] = []


@lru_cache(maxsize=1)
def engine() -> Engine:
    return SandboxEngine(
        dirs=[],
        app_dirs=False,
        loaders=[],
        libraries={},
        builtins=["letters.sandbox_library"],
        autoescape=False,
        string_if_invalid="",
        debug=False,
    )


MAX_TEMPLATE_LENGTH = 20_000


def template_errors(source: str) -> list[str]:
    """Why ``source`` cannot be used as a letter template (empty when it can)."""
    if len(source) > MAX_TEMPLATE_LENGTH:
        return [f"A template may be at most {MAX_TEMPLATE_LENGTH} characters."]
    try:
        template = engine().from_string(source)
    except TemplateSyntaxError as exc:
        return [f"Template error: {exc}"]
    unknown = sorted(_names_used(template.nodelist) - set(MERGE_FIELDS))
    if unknown:
        return [f"Unknown merge field: {name}" for name in unknown]
    return []


def _names_used(nodelist, bound: frozenset[str] = frozenset()) -> set[str]:
    names: set[str] = set()
    for node in nodelist:
        if isinstance(node, VariableNode):
            names |= _var_names(node.filter_expression, bound)
        elif isinstance(node, IfNode):
            for condition, inner in node.conditions_nodelists:
                if condition is not None:
                    names |= _condition_names(condition, bound)
                names |= _names_used(inner, bound)
            continue
        elif isinstance(node, ForNode):
            names |= _var_names(node.sequence, bound)
            inner_bound = bound | set(node.loopvars) | {"forloop"}
            names |= _names_used(node.nodelist_loop, frozenset(inner_bound))
            names |= _names_used(node.nodelist_empty, bound)
            continue
        for attr in getattr(node, "child_nodelists", ()):
            names |= _names_used(getattr(node, attr, None) or [], bound)
    return names


def _var_names(filter_expression, bound) -> set[str]:
    var = getattr(filter_expression, "var", None)
    lookups = getattr(var, "lookups", None)
    if lookups and lookups[0] not in bound:
        return {lookups[0]}
    return set()


def _condition_names(condition, bound) -> set[str]:
    names: set[str] = set()
    for part in ("first", "second"):
        sub = getattr(condition, part, None)
        if sub is not None:
            names |= _condition_names(sub, bound)
    value = getattr(condition, "value", None)
    if value is not None:
        names |= _var_names(value, bound)
    return names


def render_template_text(source: str, values: dict[str, Any]) -> str:
    """Render template ``source`` against plain ``values`` (no objects reach the template)."""
    text = engine().from_string(source).render(Context(values, autoescape=False))
    return re.sub(r"\n{3,}", "\n\n", text).strip()


def text_to_html(text: str) -> str:
    """Plain letter text to HTML: blank lines separate blocks, '## ' is a heading, '- ' a list."""
    blocks = []
    for block in re.split(r"\n\s*\n", text.strip()):
        lines = [ln.rstrip() for ln in block.strip().splitlines() if ln.strip()]
        if not lines:
            continue
        if lines[0].startswith("## ") and len(lines) == 1:
            blocks.append(f"<h2>{escape(lines[0][3:].strip())}</h2>")
        elif all(ln.lstrip().startswith("- ") for ln in lines):
            items = "".join(f"<li>{escape(ln.lstrip()[2:].strip())}</li>" for ln in lines)
            blocks.append(f"<ul>{items}</ul>")
        else:
            if lines[0].startswith("## "):
                blocks.append(f"<h2>{escape(lines[0][3:].strip())}</h2>")
                lines = lines[1:]
            blocks.append("<p>" + "<br>".join(escape(ln) for ln in lines) + "</p>")
    # Keep the sign-off and the signatory together on one page.
    start = next((i for i, b in enumerate(blocks) if b.startswith("<p>Yours ")), None)
    if start is not None:
        blocks[start:] = ['<div class="signoff">' + "\n".join(blocks[start:]) + "</div>"]
    return "\n".join(blocks)


# --- merge values --------------------------------------------------------------------------


@dataclass(frozen=True)
class LetterInputs:
    """What the handler chose for this letter (the rest comes from the complaint)."""

    outcome: str = ""
    consents_to_waive: bool = False
    reasons: str = ""
    redress_summary: str = ""
    expected_final_response_on: date | None = None
    other_firm_name: str = ""
    other_firm_contact: str = ""
    forward_part: str = ""


def fos_contact() -> dict[str, str]:
    return {**FOS_CONTACT_DEFAULTS, **getattr(settings, "LETTERS_FOS_CONTACT", {})}


def ico_contact() -> dict[str, str]:
    return {**ICO_CONTACT_DEFAULTS, **getattr(settings, "LETTERS_ICO_CONTACT", {})}


def fos_available_for(complaint: Complaint) -> bool:
    """Whether the letters offer the Financial Ombudsman Service: ``Complaint.fos_access``, the
    decision the FOS jurisdiction checklist reads too (CP26/4 paras 3.24, 3.27, 3.29). No FOS for
    activity not carried on from a UK establishment, or for an act or omission before the
    regime's commencement; an unknown event date follows the firm's setting. An activity the
    firm has not listed is treated as available (never deny a right by default)."""
    return complaint.fos_access().available


def fos_unavailable_because(complaint: Complaint, fos_available: bool) -> str:
    """Why a letter that does not offer the FOS says so (a ``FosBasis`` value; "" when it does
    offer it): the template's statement and the checks follow it."""
    if fos_available:
        return ""
    basis = complaint.fos_access().basis
    return basis if basis != FosBasis.AVAILABLE else FosBasis.NO_UK_ESTABLISHMENT


def gbp(amount: Decimal) -> str:
    """Money as a letter prints it: "£1,250.50"."""
    return display.gbp(amount)


# What the complainant is told about each ledger item. A declined offer is no longer on the
# table, so a letter does not state it.
_LEDGER_STATUS_WORDS = {
    RedressStatus.OFFERED: "offered",
    RedressStatus.ACCEPTED: "accepted",
    RedressStatus.PAID: "paid",
}
# The same in a Welsh letter.
_LEDGER_WELSH = {
    "offered": "wedi'i gynnig",
    "accepted": "wedi'i dderbyn",
    "paid": "wedi'i dalu",
    RedressKind.FINANCIAL_LOSS.label: "Colled ariannol",
    RedressKind.INTEREST.label: "Llog",
    RedressKind.DISTRESS.label: "Gofid ac anghyfleustra",
    RedressKind.GOODWILL.label: "Taliad ewyllys da",
    RedressKind.REMEDIAL_ACTION.label: "Camau i unioni pethau",
}


@dataclass(frozen=True)
class LedgerRedress:
    """One offered, accepted or paid item of the complaint's redress ledger, as a letter
    states it."""

    kind: str
    amount: str  # "£100.00", or "" (remedial action, or a crypto loss not valued in pounds)
    description: str
    status: str

    @property
    def line(self) -> str:
        return self.line_in(LetterLanguage.ENGLISH)

    def line_in(self, language: str) -> str:
        words = _LEDGER_WELSH if language == LetterLanguage.WELSH else {}
        kind, status = words.get(self.kind, self.kind), words.get(self.status, self.status)
        detail = ", ".join(part for part in (self.amount, self.description) if part)
        return f"{kind}: {detail} ({status})" if detail else f"{kind} ({status})"


def ledger_redress(complaint: Complaint) -> list[LedgerRedress]:
    """DISP 1.4.1R(3): the redress recorded on the complaint's ledger, read through the reverse
    relation ``redress_items`` (the ledger is the remediation app's, above this one)."""
    items = complaint.redress_items.filter(status__in=list(_LEDGER_STATUS_WORDS)).order_by(
        "offered_at", "id"
    )
    return [
        LedgerRedress(
            kind=RedressKind(item.kind).label,
            amount=gbp(item.amount_gbp) if item.amount_gbp is not None else "",
            description=" ".join(item.description.split()),
            status=_LEDGER_STATUS_WORDS[RedressStatus(item.status)],
        )
        for item in items
    ]


def _user_name(user) -> str:
    if user is None:
        return ""
    return user.get_full_name() or user.get_username()


def date_format(language: str):
    """How a letter in ``language`` prints dates."""
    return cy_date if language == LetterLanguage.WELSH else uk_date


def merge_values(
    complaint: Complaint,
    inputs: LetterInputs,
    *,
    signatory,
    fos_available: bool,
    language: str = LetterLanguage.ENGLISH,
    representative: Representative | None = None,
) -> dict[str, Any]:
    fmt = date_format(language)
    firm = complaint.firm
    person = complaint.complainant
    values: dict[str, Any] = {
        "complainant_name": person.name,
        "addressee_name": representative.name if representative is not None else person.name,
        "complainant_address": person.address,
        "complainant_email": person.email,
        "reference": complaint.reference,
        "received_date": fmt(complaint.received_at),
        "activity": complaint.get_activity_display(),
        "complaint_description": complaint.description,
        "event_date": fmt(complaint.event_date),
        "awareness_date": fmt(complaint.awareness_date),
        "time_bar_date": fmt(complaint.time_bar_date),
        "src_deadline": fmt(complaint.src_deadline),
        "final_response_due": fmt(complaint.final_response_due),
        "extended_final_response_due": fmt(complaint.extended_final_response_due),
        "expected_final_response_date": fmt(inputs.expected_final_response_on),
        "handler_name": _user_name(signatory),
        "firm_name": firm.name,
        "firm_address": firm.address,
        "firm_frn": firm.frn,
        "firm_complaints_email": firm.complaints_email,
        "firm_complaints_phone": firm.complaints_phone,
        **fos_contact(),
        **ico_contact(),
        "fos_available": fos_available,
        "fos_unavailable_because": fos_unavailable_because(complaint, fos_available),
        "fos_commencement_date": fmt(settings.CRYPTO_COMMENCEMENT_DATE),
        "is_psd": complaint.regime == Regime.PSD_EMD,
        "consents_to_waive": inputs.consents_to_waive,
        "outcome": _outcome_label(inputs.outcome),
        "outcome_code": inputs.outcome,
        "reasons": inputs.reasons.strip(),
        "redress_summary": inputs.redress_summary.strip(),
        "redress_ledger": [item.line_in(language) for item in ledger_redress(complaint)],
        "other_firm_name": inputs.other_firm_name.strip(),
        "other_firm_contact": inputs.other_firm_contact.strip(),
        "is_partial_forward": inputs.forward_part == ForwardPart.PART,
        "rest_forwarded": inputs.forward_part == ForwardPart.WHOLE
        and complaint.forwarded_parts.exists(),
        "rest_response_due": fmt(rest_response_due(complaint)),
    }
    return values


def rest_response_due(complaint: Complaint) -> date | None:
    """DISP 1.7 with DISP 1.6: when the firm will answer the part of a complaint it keeps after
    forwarding part of it: its final response date, or once a holding response is sent the date
    that response gave (the 35-business-day date for PSD/EMD, DISP 1.6.2AR(2))."""
    if complaint.holding_response_sent_at is None:
        return complaint.final_response_due
    return complaint.expected_final_response_on or complaint.extended_final_response_due


def _outcome_label(code: str) -> str:
    from complaints.choices import Outcome

    return Outcome(code).label if code in Outcome.values else ""


SAMPLE_VALUES: dict[str, Any] = {
    "complainant_name": "Jo Sample",
    "addressee_name": "Jo Sample",
    "complainant_address": "1 Sample Street\nLeeds\nLS1 1AA",
    "complainant_email": "jo.sample@example.com",
    "reference": "ABC-2026-00042",
    "received_date": "Thu 2 Apr 2026",
    "activity": "Operating a qualifying CATP (art. 9S)",
    "complaint_description": "My withdrawal has been pending for ten days.",
    "event_date": "Mon 30 Mar 2026",
    "awareness_date": "Mon 30 Mar 2026",
    "time_bar_date": "Mon 30 Mar 2032",
    "src_deadline": "Thu 9 Apr 2026",
    "final_response_due": "Thu 28 May 2026",
    "extended_final_response_due": "Wed 3 Jun 2026",
    "expected_final_response_date": "Fri 26 Jun 2026",
    "handler_name": "Alex Handler",
    "outcome": "Not upheld",
    "outcome_code": "not_upheld",
    "reasons": "Our records show the withdrawal was held for a routine security review.",
    "redress_summary": "We will pay you £150 for the distress and inconvenience caused.",
    "redress_ledger": ["Distress and inconvenience: £150.00 (offered)"],
    "other_firm_name": "Other Exchange Ltd",
    "other_firm_contact": "complaints@other.example, 2 Dock Street, Leith EH6 6AA",
    "is_partial_forward": False,
    "rest_forwarded": False,
    "rest_response_due": "Thu 28 May 2026",
    "fos_available": True,
    "fos_unavailable_because": "",
    "fos_commencement_date": "Mon 25 Oct 2027",
    "is_psd": False,
    "consents_to_waive": False,
}


def sample_values(firm, **overrides) -> dict[str, Any]:
    """Merge values for previewing a template without a real complaint."""
    return {
        **SAMPLE_VALUES,
        "firm_name": firm.name,
        "firm_address": firm.address,
        "firm_frn": firm.frn,
        "firm_complaints_email": firm.complaints_email,
        "firm_complaints_phone": firm.complaints_phone,
        "fos_commencement_date": uk_date(settings.CRYPTO_COMMENCEMENT_DATE),
        **fos_contact(),
        **ico_contact(),
        **overrides,
    }


# --- the document --------------------------------------------------------------------------


def document_html(
    *,
    firm,
    subject: str,
    body_text: str,
    letter_date: date | datetime,
    reference: str,
    recipient_name: str,
    recipient_address: str,
    client_name: str = "",
    draft: bool = False,
    language: str = LetterLanguage.ENGLISH,
    large_print: bool = False,
) -> str:
    """The whole letter as HTML: the firm's letterhead, the recipient, the date and the body.
    Its ``lang`` and ``<title>`` (the subject) become the PDF's language and title; large print
    sets the body in 16pt and headings in 18pt (RNIB clear print guidance, docs/letters.md)."""
    welsh = language == LetterLanguage.WELSH
    return render_to_string(
        "letters/document.html",
        {
            "firm": firm,
            "subject": subject,
            "body_html": text_to_html(body_text),
            "letter_date": date_format(language)(letter_date),
            "lang": "cy" if welsh else "en-GB",
            "large_print": large_print,
            "reference_label": "Ein cyfeirnod" if welsh else "Our reference",
            "client_label": "Eich cleient" if welsh else "Your client",
            "reference": reference,
            "recipient_name": recipient_name,
            "recipient_address_lines": [
                ln.strip() for ln in recipient_address.splitlines() if ln.strip()
            ],
            "client_name": client_name,
            "draft": draft,
        },
    )
