"""Log a complaint: the Glossary test, the regime, the complainant, and live deadlines."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils import timezone

from common.errors import ValidationFailed
from common.pageactions import apply_service_errors
from complaints import access, selectors, services
from complaints.access import Perm, require_perm
from complaints.deadlines import deadlines_for
from complaints.forms import (
    EXISTING,
    NEW,
    ComplaintLogForm,
    apply_django_errors,
    glossary_verdict,
    local_now_minute,
)
from complaints.models import Complainant

from .base import firm_required


def _preview_context(request, form: ComplaintLogForm, now) -> dict:
    """What the handler sees before saving: the Glossary verdict, the DISP deadlines and any
    likely duplicate. Works on partly filled forms: only the valid answers are used."""
    if form.is_bound:
        form.is_valid()
        data = form.cleaned_data
    else:
        data = {name: form.get_initial_for_field(f, name) for name, f in form.fields.items()}
    firm = request.membership.firm
    is_complaint, explanation = glossary_verdict(data)
    deadlines = None
    received_at = data.get("received_at")
    if received_at and received_at <= now and data.get("regime"):
        deadlines = deadlines_for(
            firm=firm,
            received_at=received_at,
            regime=data["regime"],
            event_date=data.get("event_date"),
            awareness_date=data.get("awareness_date"),
        )
    mode = data.get("complainant_mode")
    chosen = None
    if mode == EXISTING and data.get("complainant_id"):
        chosen = Complainant.objects.filter(firm_id=firm.pk, pk=data["complainant_id"]).first()
    duplicates = []
    if form.is_bound:
        duplicates = selectors.likely_duplicates(
            firm_id=firm.pk,
            now=now,
            complainant_id=chosen.pk if chosen else None,
            name=data.get("name", "") if mode == NEW else "",
            email=data.get("email", "") if mode == NEW else "",
            client_reference=data.get("client_reference", "") if mode == NEW else "",
        )
    return {
        "is_complaint": is_complaint,
        "glossary_explanation": explanation,
        "deadlines": deadlines,
        "received_in_future": bool(received_at and received_at > now),
        "duplicates": duplicates,
        "chosen_complainant": chosen,
        "duplicate_window_days": getattr(settings, "DUPLICATE_WINDOW_DAYS", 30),
        "q": data.get("complainant_search", ""),
        "found": selectors.complainant_search(firm_id=firm.pk, q=data.get("complainant_search", ""))
        if mode == EXISTING
        else [],
    }


def _register(request, form: ComplaintLogForm, now):
    d = form.cleaned_data
    kwargs = dict(
        firm=request.membership.firm,
        actor=request.user,
        now=now,
        received_at=d["received_at"],
        channel=d["channel"],
        activity=d["activity"],
        description=d["description"],
        received_via=d["received_via"],
        forwarded_from_firm=d["forwarded_from_firm"],
        relationship=d["relationship"],
        expression_of_dissatisfaction=d["expression_of_dissatisfaction"],
        alleged_financial_loss=d["alleged_financial_loss"],
        alleged_material_distress=d["alleged_material_distress"],
        alleged_material_inconvenience=d["alleged_material_inconvenience"],
        regime=d["regime"],
        event_date=d["event_date"],
        event_date_unknown=d["event_date_unknown"],
        awareness_date=d["awareness_date"],
        owner_id=int(d["owner"]) if d["owner"] else None,
        external_reference=d["external_reference"],
    )
    if d["complainant_mode"] == EXISTING:
        kwargs["complainant_id"] = d["complainant_id"]
    else:
        kwargs["complainant"] = services.ComplainantData(
            name=d["name"].strip(),
            email=d["email"],
            phone=d["phone"],
            address=d["address"],
            client_reference=d["client_reference"],
            complainant_type=d["complainant_type"],
            is_retail=d["is_retail"],
            vulnerable_health=d["vulnerable_health"],
            vulnerable_life_events=d["vulnerable_life_events"],
            vulnerable_resilience=d["vulnerable_resilience"],
            vulnerable_capability=d["vulnerable_capability"],
            vulnerability_note=d["vulnerability_note"],
            vulnerability_support_needs=d["vulnerability_support_needs"],
            vulnerability_identified_by=d["vulnerability_identified_by"],
            vulnerability_consent=d["vulnerability_consent"],
            vulnerability_review_on=d["vulnerability_review_on"],
        )
    return services.complaint_register(**kwargs)


@firm_required
@require_perm(Perm.HANDLE_COMPLAINTS)
def complaint_create(request):
    now = timezone.now()
    members = selectors.firm_members(request.membership.firm_id)
    if request.method == "POST":
        form = ComplaintLogForm(request.POST, members=members)
        preview = _preview_context(request, form, now)
        wants_preview = "preview" in request.POST
        duplicate_check = preview["duplicates"] and not request.POST.get("confirm_duplicate")
        if form.is_valid() and not wants_preview and not duplicate_check:
            try:
                complaint = _register(request, form, now)
            except ValidationFailed as e:
                apply_service_errors(form, e, form.service_field_map)
            except ValidationError as e:
                apply_django_errors(form, e)
            else:
                kind = "Complaint" if complaint.is_complaint else "Feedback/query"
                messages.success(request, f"{kind} {complaint.reference} logged.")
                return redirect("complaints:detail", pk=complaint.pk)
    else:
        initial: dict[str, Any] = {"received_at": local_now_minute(now)}
        if access.role_in(request.user, request.membership.firm_id) == "handler":
            initial["owner"] = str(request.user.pk)
        form = ComplaintLogForm(initial=initial, members=members)
        preview = _preview_context(request, form, now)
    context = {"form": form, **preview, "confirming_duplicate": request.method == "POST"}
    return render(request, "complaints/log.html", context)


@firm_required
@require_perm({"POST": Perm.HANDLE_COMPLAINTS})
def complaint_preview(request):
    """htmx: the live Glossary verdict, deadlines and duplicate warning for the form so far."""
    now = timezone.now()
    form = ComplaintLogForm(
        request.POST, members=selectors.firm_members(request.membership.firm_id)
    )
    return render(request, "complaints/_log_preview.html", _preview_context(request, form, now))


@firm_required
@require_perm({"read": Perm.VIEW_COMPLAINTS})
def complainant_lookup(request):
    """htmx: existing complainants of the current firm matching the search box."""
    q = request.GET.get("complainant_search", "")
    found = selectors.complainant_search(firm_id=request.membership.firm_id, q=q)
    return render(request, "complaints/_complainant_results.html", {"found": found, "q": q})
