"""The template editor: the firm's templates per letter type and language, each version, the
live preview with its content checks, and the four-eyes approval policy. Every member reads
them; only manage_firm changes them."""

from __future__ import annotations

from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone

from common.pageactions import ActionPage, PageAction, form_page, form_page_or_perform, perform
from complaints import access
from complaints.access import Perm, require_perm
from complaints.choices import LetterLanguage, Outcome

from . import content, defaults, defaults_cy, selectors, services
from .checks.runner import run_checks
from .checks.spec import Facts
from .choices import LetterType
from .forms import PreviewOptionsForm, TemplateForm
from .models import FosLeaflet
from .rendering import (
    MERGE_FIELDS,
    date_format,
    render_template_text,
    sample_values,
    template_errors,
)
from .views import MANAGE, READ, _error_message


def _language(request, letter_type: str) -> str:
    """The template language the page is about (``?language=cy``): Welsh only for the letters
    with Welsh standard wording, the letters to the complainant (the covering letter to another
    firm is always in English)."""
    language = request.GET.get("language") or request.POST.get("language") or "en"
    if language not in LetterLanguage.values or (
        language == LetterLanguage.WELSH and not defaults.has_welsh(letter_type)
    ):
        raise Http404("No template in that language.")
    return language


def _standard(language: str):
    """The module holding the standard wording in ``language``."""
    return defaults_cy if language == LetterLanguage.WELSH else defaults


# --- templates -----------------------------------------------------------------------------


# Templates belong to the firm selected in the switcher (require_perm checks the role there):
# every member may read them, only manage_firm changes them.


@require_perm(READ)
def template_list(request):
    firm = request.membership.firm
    return render(
        request,
        "letters/templates.html",
        {
            "firm": firm,
            "rows": selectors.template_overview(firm),
            "welsh_rows": selectors.template_overview(firm, LetterLanguage.WELSH),
            "leaflet": FosLeaflet.objects.current_for(firm.pk),
            "can_manage": access.has_perm(request.user, firm.pk, Perm.MANAGE_FIRM),
        },
    )


_TEMPLATES = ActionPage(
    landing=lambda request, firm, result: redirect("letters:templates"), describe=_error_message
)
_APPROVAL_POLICY = PageAction(
    services.approval_policy_set,
    lambda firm, policy: f"Approval setting saved for {LetterType(policy.letter_type).label}.",
    id_kwarg="firm_id",
    arguments=lambda post: {"required": post.get("requires_approval") == "on"},
)


@require_perm(MANAGE)
def approval_policy(request, letter_type: str):
    firm = request.membership.firm
    return perform(request, _APPROVAL_POLICY, firm, _TEMPLATES, letter_type=letter_type)


_SAVE_TEMPLATE = PageAction(
    services.letter_template_save,
    lambda firm, version: f"Saved as version {version.number}.",
    TemplateForm,
    id_kwarg="firm_id",
)


@require_perm({**READ, **MANAGE})
def template_edit(request, letter_type: str):
    if letter_type not in LetterType.values:
        raise Http404("Unknown letter type.")
    firm = request.membership.firm
    language = _language(request, letter_type)
    current = content.current_version(firm, letter_type, now=timezone.now(), language=language)

    def page(request, firm, forms, status):
        form = forms.get("form") or TemplateForm(
            initial={"subject": current.subject, "body": current.body}
        )
        return _template_page(request, firm, letter_type, current, form, status, language)

    def landing(*_):
        url = redirect("letters:template_edit", letter_type=letter_type)
        if language != LetterLanguage.ENGLISH:
            url["Location"] += f"?language={language}"
        return url

    saved = form_page(landing=landing, rerender=page, describe=_error_message)
    return form_page_or_perform(
        request, _SAVE_TEMPLATE, firm, saved, letter_type=letter_type, language=language
    )


def _template_page(request, firm, letter_type, current, form, status, language):
    options = PreviewOptionsForm(initial={"fos_available": True, "outcome_code": "not_upheld"})
    preview = _template_preview(firm, letter_type, current.subject, current.body, {}, language)
    standard = _standard(language)
    return render(
        request,
        "letters/template_edit.html",
        {
            "firm": firm,
            "letter_type": letter_type,
            "label": LetterType(letter_type).label,
            "current": current,
            "form": form,
            "options": options,
            "preview": preview,
            "versions": selectors.template_versions(firm, letter_type, language),
            "merge_fields": MERGE_FIELDS,
            "snippets": standard.SNIPPETS,
            "system_subject": standard.SUBJECTS[letter_type],
            "system_body": standard.BODIES[letter_type],
            "language": language,
            "welsh": language == LetterLanguage.WELSH,
            "can_manage": access.has_perm(request.user, firm.pk, Perm.MANAGE_FIRM),
        },
        status=status,
    )


def _template_preview(firm, letter_type, subject, body, raw_options, language="en") -> dict:
    options = PreviewOptionsForm(raw_options or {"fos_available": "on"})
    options.is_valid()
    opts = options.cleaned_data
    outcome = opts.get("outcome_code") or Outcome.NOT_UPHELD
    if letter_type in LetterType.final_types():
        outcome = next(
            (o for o in Outcome.decisions() if o == outcome and _final_type(o) == letter_type),
            {"final_upheld": "upheld", "final_redress": "goodwill"}.get(letter_type, "not_upheld"),
        )
    values = sample_values(
        firm,
        fos_available=opts.get("fos_available", False),
        consents_to_waive=opts.get("consents_to_waive", False),
        is_psd=opts.get("is_psd", False) or letter_type == LetterType.HOLDING_PSD,
        is_partial_forward=opts.get("is_partial_forward", False),
        outcome_code=outcome,
        outcome=Outcome(outcome).label,
    )
    if language == LetterLanguage.WELSH:
        # The sample dates as a Welsh letter prints them.
        fmt = date_format(language)
        sample_day = timezone.now()
        values.update(
            {k: fmt(sample_day) for k, v in values.items() if k.endswith(("_date", "_due"))}
        )
    errors = template_errors(subject) + template_errors(body)
    if errors:
        return {"errors": errors}
    rendered_subject = render_template_text(subject, values)
    text = render_template_text(body, values)
    from .rendering import document_html

    recipient = "other_firm" if letter_type == LetterType.FORWARDING_COVER else "complainant"
    html = document_html(
        firm=firm,
        subject=rendered_subject,
        body_text=text,
        letter_date=timezone.now(),
        reference=values["reference"],
        recipient_name=values["other_firm_name"]
        if recipient == "other_firm"
        else values["complainant_name"],
        recipient_address=values["other_firm_contact"]
        if recipient == "other_firm"
        else values["complainant_address"],
        draft=True,
        language=language,
    )
    facts = Facts(
        letter_type=letter_type,
        fos_available=values["fos_available"],
        consents_to_waive=values["consents_to_waive"],
        is_psd=values["is_psd"],
        outcome=outcome,
        has_redress=True,
        has_reasons=True,
        partial_forward=values["is_partial_forward"],
        leaflet_enclosed=FosLeaflet.objects.filter(firm=firm).exists(),
        language=language,
    )
    return {"html": html, "checks": run_checks(facts, html, values), "errors": []}


def _final_type(outcome: str) -> str:
    from .choices import FINAL_TYPE_FOR_OUTCOME

    return FINAL_TYPE_FOR_OUTCOME[outcome]


@require_perm(MANAGE)
def template_preview(request, letter_type: str):
    """htmx: the live preview and content checks for the template being edited."""
    if letter_type not in LetterType.values:
        raise Http404("Unknown letter type.")
    firm = request.membership.firm
    preview = _template_preview(
        firm,
        letter_type,
        request.POST.get("subject", ""),
        request.POST.get("body", ""),
        request.POST,
        _language(request, letter_type),
    )
    return render(request, "letters/_template_preview.html", {"preview": preview})


@require_perm(READ)
def template_version(request, letter_type: str, number: int):
    firm = request.membership.firm
    language = _language(request, letter_type)
    version = selectors.template_versions(firm, letter_type, language).filter(number=number).first()
    if version is None:
        raise Http404("No such version.")
    return render(
        request,
        "letters/template_version.html",
        {"firm": firm, "version": version, "label": LetterType(letter_type).label},
    )
