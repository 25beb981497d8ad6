"""UI: thin views. Forms type the input, services act, selectors read, access scopes."""

from __future__ import annotations

import csv
from datetime import date

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from common.dates import london_date
from common.errors import DomainError
from complaints import access
from complaints.access import Perm, ensure_perm, require_perm
from complaints.choices import Status
from complaints.models import Complaint, Membership

from . import charts, mi, selectors, services
from .forms import (
    ActionForm,
    ActionStatusForm,
    BulkForm,
    IncidentChoiceForm,
    IncidentForm,
    NoRedressForm,
    PeriodForm,
    RedressOfferForm,
    RedressStepForm,
    RootCauseAssignForm,
    RootCauseForm,
    SearchForm,
)
from .models import (
    ActionStatus,
    BulkRun,
    Incident,
    RedressItem,
    RedressStatus,
    RemediationAction,
    RootCause,
)
from .rules import enforce_redress_decision

# Access is declared per view with complaints.access.require_perm: pages of the firm selected
# in the switcher use ``request.firm_id``; pages about one object get it as
# ``request.scoped_object`` (another firm's is a 404, beyond the role a 403).
_COMPLAINT = Complaint.objects.select_related("firm")
_ITEM = RedressItem.objects.select_related("complaint")
_RUN = BulkRun.objects.select_related("incident", "actor")
_ACTION = RemediationAction.objects.select_related(
    "owner", "root_cause__parent__parent", "incident"
)
READ_OR_MANAGE = {"read": Perm.VIEW_COMPLAINTS, "POST": Perm.MANAGE_REMEDIATION}


def _form_errors(form, exc: DomainError) -> None:
    placed = False
    for field, msgs in exc.fields.items():
        if field in form.fields:
            for msg in msgs:
                form.add_error(field, msg)
            placed = True
    if not placed:
        form.add_error(None, exc.message)


def _flash_error(request: HttpRequest, exc: DomainError) -> None:
    rule = f" ({exc.rule})" if exc.rule else ""
    messages.error(request, f"{exc.message}{rule}")


def _flash_form(request: HttpRequest, form) -> None:
    for field, errors in form.errors.items():
        label = form.fields[field].label or field.replace("_", " ") if field in form.fields else ""
        messages.error(request, f"{label.capitalize()}: {errors[0]}" if label else errors[0])


def _members(firm_id: int):
    return (
        Membership.objects.filter(firm_id=firm_id, user__is_active=True)
        .select_related("user")
        .order_by("user__first_name", "user__username")
    )


# --- the complaint panel and its forms ----------------------------------------------------------


def complaint_url(complaint_id: int) -> str:
    try:
        return reverse("complaints:detail", args=[complaint_id])
    except NoReverseMatch:
        return reverse("remediation:complaint", args=[complaint_id])


def _back(request: HttpRequest, complaint_id: int):
    nxt = request.POST.get("next", "")
    if nxt and url_has_allowed_host_and_scheme(nxt, {request.get_host()}):
        return redirect(nxt)
    return redirect(complaint_url(complaint_id))


def panel_context(request: HttpRequest, complaint: Complaint) -> dict | None:
    """Context of the remediation panel on the complaint page (complaints.panels)."""
    if not access.has_perm(request.user, complaint.firm_id, Perm.VIEW_COMPLAINTS):
        return None
    today = london_date(timezone.now())
    data = selectors.complaint_remediation(complaint, today)
    can_handle = access.has_perm(request.user, complaint.firm_id, Perm.HANDLE_COMPLAINTS)
    linked = {link.incident_id for link in data.incident_links}
    return {
        "complaint": complaint,
        "rem": data,
        "can_handle": can_handle,
        "offer_form": RedressOfferForm(prefix="redress"),
        "tree": selectors.root_cause_tree(complaint.firm_id, active_only=True),
        "incident_choices": [
            i
            for i in Incident.objects.filter(firm_id=complaint.firm_id).order_by("-started_at")
            if i.pk not in linked
        ],
        "next": request.get_full_path(),
        "enforced": enforce_redress_decision(),
    }


@require_perm({"read": Perm.VIEW_COMPLAINTS}, model=_COMPLAINT)
def complaint_page(request: HttpRequest, pk: int) -> HttpResponse:
    """The remediation panel on a page of its own (also the fallback target of its forms)."""
    complaint = request.scoped_object
    return render(
        request,
        "remediation/complaint.html",
        {"panel": panel_context(request, complaint), "complaint": complaint},
    )


HANDLE = {"POST": Perm.HANDLE_COMPLAINTS}


@require_POST
@require_perm(HANDLE, model=_COMPLAINT)
def redress_offer(request: HttpRequest, pk: int):
    complaint = request.scoped_object
    form = RedressOfferForm(request.POST, prefix="redress")
    if not form.is_valid():
        _flash_form(request, form)
        return _back(request, complaint.pk)
    try:
        services.redress_offer(
            complaint_id=complaint.pk,
            actor=request.user,
            now=timezone.now(),
            data=services.RedressData(**form.cleaned_data),
        )
        messages.success(request, "Redress offer recorded.")
    except DomainError as exc:
        _flash_error(request, exc)
    return _back(request, complaint.pk)


@require_POST
@require_perm(HANDLE, model=_ITEM, kwarg="item_id", firm_path="complaint__firm_id")
def redress_step(request: HttpRequest, item_id: int):
    item = request.scoped_object
    form = RedressStepForm(request.POST)
    if not form.is_valid():
        _flash_form(request, form)
        return _back(request, item.complaint_id)
    op, data, now = form.cleaned_data["op"], form.cleaned_data, timezone.now()
    common = {
        "item_id": item.pk,
        "actor": request.user,
        "now": now,
        "expected_version": data.get("version"),
    }
    try:
        if op == "accept":
            services.redress_accept(**common)
            messages.success(request, "Acceptance recorded: payment is now due.")
        elif op == "decline":
            services.redress_decline(reason=data.get("reason") or "", **common)
            messages.success(request, "Decline recorded.")
        else:
            services.redress_pay(payment_reference=data.get("payment_reference") or "", **common)
            messages.success(request, "Payment recorded.")
    except DomainError as exc:
        _flash_error(request, exc)
    return _back(request, item.complaint_id)


@require_POST
@require_perm(HANDLE, model=_COMPLAINT)
def no_redress(request: HttpRequest, pk: int):
    complaint = request.scoped_object
    form = NoRedressForm(request.POST)
    if not form.is_valid():
        _flash_form(request, form)
        return _back(request, complaint.pk)
    try:
        services.redress_record_none_appropriate(
            complaint_id=complaint.pk,
            actor=request.user,
            now=timezone.now(),
            reason=form.cleaned_data["reason"],
        )
        messages.success(request, "Reason recorded.")
    except DomainError as exc:
        _flash_error(request, exc)
    return _back(request, complaint.pk)


@require_POST
@require_perm(HANDLE, model=_COMPLAINT)
def root_cause_assign(request: HttpRequest, pk: int):
    complaint = request.scoped_object
    form = RootCauseAssignForm(request.POST)
    if not form.is_valid():
        _flash_form(request, form)
        return _back(request, complaint.pk)
    try:
        services.complaint_root_cause_assign(
            complaint_id=complaint.pk,
            root_cause_id=form.cleaned_data["root_cause"],
            note=form.cleaned_data["note"],
            actor=request.user,
            now=timezone.now(),
        )
        messages.success(request, "Root cause recorded.")
    except DomainError as exc:
        _flash_error(request, exc)
    return _back(request, complaint.pk)


@require_POST
@require_perm(HANDLE, model=_COMPLAINT)
def root_cause_remove(request: HttpRequest, pk: int, root_cause_id: int):
    complaint = request.scoped_object
    try:
        services.complaint_root_cause_remove(
            complaint_id=complaint.pk,
            root_cause_id=root_cause_id,
            actor=request.user,
            now=timezone.now(),
        )
        messages.success(request, "Root cause removed.")
    except DomainError as exc:
        _flash_error(request, exc)
    return _back(request, complaint.pk)


@require_POST
@require_perm(HANDLE, model=_COMPLAINT)
def complaint_incident(request: HttpRequest, pk: int):
    """Link (or with ``unlink``, unlink) one complaint and an incident from the panel."""
    complaint = request.scoped_object
    form = IncidentChoiceForm(request.POST)
    if not form.is_valid():
        _flash_form(request, form)
        return _back(request, complaint.pk)
    incident = get_object_or_404(
        Incident, pk=form.cleaned_data["incident"], firm_id=complaint.firm_id
    )
    kwargs = {
        "incident_id": incident.pk,
        "complaint_ids": [complaint.pk],
        "actor": request.user,
        "now": timezone.now(),
    }
    try:
        if request.POST.get("unlink"):
            services.incident_unlink(**kwargs)
            messages.success(request, f"Unlinked from {incident.name}.")
        else:
            services.incident_link(**kwargs)
            messages.success(request, f"Linked to {incident.name}.")
    except DomainError as exc:
        _flash_error(request, exc)
    return _back(request, complaint.pk)


# --- incidents ----------------------------------------------------------------------------------


@require_perm(READ_OR_MANAGE)
def incidents(request: HttpRequest) -> HttpResponse:
    firm_id = request.firm_id
    can_manage = access.has_perm(request.user, firm_id, Perm.MANAGE_REMEDIATION)
    form = IncidentForm()
    if request.method == "POST":
        form = IncidentForm(request.POST)
        if form.is_valid():
            try:
                incident = services.incident_create(
                    firm=access.get_firm_or_404(request.user, firm_id),
                    actor=request.user,
                    now=timezone.now(),
                    **form.cleaned_data,
                )
                messages.success(request, f"Incident '{incident.name}' recorded.")
                return redirect("remediation:incident", pk=incident.pk)
            except DomainError as exc:
                _form_errors(form, exc)
    return render(
        request,
        "remediation/incidents.html",
        {"incidents": selectors.incidents([firm_id]), "form": form, "can_manage": can_manage},
        status=400 if form.errors else 200,
    )


MANAGE = {"POST": Perm.MANAGE_REMEDIATION}


@require_perm({"read": Perm.VIEW_COMPLAINTS}, model=Incident)
def incident_detail(request: HttpRequest, pk: int) -> HttpResponse:
    incident = request.scoped_object
    search = SearchForm(request.GET or None)
    results = None
    firm_complaints = Complaint.objects.filter(firm_id=incident.firm_id)
    if search.is_bound and search.is_valid() and any(search.cleaned_data.values()):
        results = list(
            selectors.complaint_search(firm_complaints, **search.cleaned_data).exclude(
                incident_links__incident=incident
            )[:500]
        )
    edit = IncidentForm(
        initial={
            "name": incident.name,
            "description": incident.description,
            "started_at": timezone.localtime(incident.started_at),
            "ended_at": timezone.localtime(incident.ended_at) if incident.ended_at else None,
        }
    )
    return render(
        request,
        "remediation/incident_detail.html",
        {
            "incident": incident,
            "complaints": list(selectors.incident_complaints(incident)),
            "search": search,
            "results": results,
            "edit": edit,
            "members": _members(incident.firm_id),
            "runs": list(incident.bulk_runs.select_related("actor")[:5]),
            "actions": list(incident.actions.select_related("owner")),
            "can_manage": access.has_perm(request.user, incident.firm_id, Perm.MANAGE_REMEDIATION),
            "received": Status.RECEIVED,
        },
    )


@require_POST
@require_perm(MANAGE, model=Incident)
def incident_edit(request: HttpRequest, pk: int):
    incident = request.scoped_object
    form = IncidentForm(request.POST)
    if not form.is_valid():
        _flash_form(request, form)
        return redirect("remediation:incident", pk=incident.pk)
    try:
        services.incident_update(
            incident_id=incident.pk, actor=request.user, now=timezone.now(), **form.cleaned_data
        )
        messages.success(request, "Incident updated.")
    except DomainError as exc:
        _flash_error(request, exc)
    return redirect("remediation:incident", pk=incident.pk)


def _ids(request: HttpRequest) -> list[int]:
    return [int(v) for v in request.POST.getlist("complaint") if v.isdigit()]


@require_POST
@require_perm(MANAGE, model=Incident)
def incident_link(request: HttpRequest, pk: int):
    """Link the ticked search results, or with ``all_results`` every complaint the search
    finds (re-run here, so the link matches the search and not a stale page)."""
    incident = request.scoped_object
    if request.POST.get("all_results"):
        search = SearchForm(request.POST)
        if not search.is_valid() or not any(search.cleaned_data.values()):
            messages.error(request, "Search first: linking every complaint needs a filter.")
            return redirect("remediation:incident", pk=incident.pk)
        ids = list(
            selectors.complaint_search(
                Complaint.objects.filter(firm_id=incident.firm_id), **search.cleaned_data
            ).values_list("pk", flat=True)
        )
    else:
        ids = _ids(request)
    if not ids:
        messages.error(request, "Tick at least one complaint to link.")
        return redirect("remediation:incident", pk=incident.pk)
    try:
        result = services.incident_link(
            incident_id=incident.pk, complaint_ids=ids, actor=request.user, now=timezone.now()
        )
        messages.success(
            request,
            f"Linked {result.linked} complaint(s)"
            + (f"; {result.already_linked} were already linked." if result.already_linked else "."),
        )
    except DomainError as exc:
        _flash_error(request, exc)
    return redirect("remediation:incident", pk=incident.pk)


@require_POST
@require_perm(MANAGE, model=Incident)
def incident_unlink(request: HttpRequest, pk: int):
    incident = request.scoped_object
    count = services.incident_unlink(
        incident_id=incident.pk,
        complaint_ids=_ids(request),
        actor=request.user,
        now=timezone.now(),
    )
    messages.success(request, f"Unlinked {count} complaint(s).")
    return redirect("remediation:incident", pk=incident.pk)


@require_POST
@require_perm(MANAGE, model=Incident)
def incident_bulk(request: HttpRequest, pk: int):
    incident = request.scoped_object
    form = BulkForm(request.POST)
    if not form.is_valid():
        _flash_form(request, form)
        return redirect("remediation:incident", pk=incident.pk)
    ids = _ids(request) or None
    now = timezone.now()
    try:
        if form.cleaned_data["action"] == "assign":
            ensure_perm(request.user, incident.firm_id, Perm.ASSIGN_COMPLAINTS)
            run = services.incident_bulk_assign(
                incident_id=incident.pk,
                owner_id=form.cleaned_data["owner"],
                complaint_ids=ids,
                actor=request.user,
                now=now,
            )
        else:
            ensure_perm(request.user, incident.firm_id, Perm.HANDLE_COMPLAINTS)
            run = services.incident_bulk_acknowledge(
                incident_id=incident.pk,
                complaint_ids=ids,
                actor=request.user,
                now=now,
                method=form.cleaned_data["method"] or "email",
            )
    except DomainError as exc:
        _flash_error(request, exc)
        return redirect("remediation:incident", pk=incident.pk)
    return redirect("remediation:bulk_run", pk=run.pk)


@require_perm({"read": Perm.VIEW_COMPLAINTS}, model=_RUN, firm_path="incident__firm_id")
def bulk_run(request: HttpRequest, pk: int) -> HttpResponse:
    return render(request, "remediation/bulk_run.html", {"run": request.scoped_object})


# --- root-cause taxonomy ------------------------------------------------------------------------


# The taxonomy is firm configuration (administrators); using it on complaints is handling.
@require_perm({"read": Perm.VIEW_COMPLAINTS, "POST": Perm.MANAGE_FIRM})
def root_causes(request: HttpRequest) -> HttpResponse:
    firm_id = request.firm_id
    can_manage = access.has_perm(request.user, firm_id, Perm.MANAGE_FIRM)
    form = RootCauseForm()
    if request.method == "POST":
        form = RootCauseForm(request.POST)
        if form.is_valid():
            try:
                node = services.root_cause_create(
                    firm=access.get_firm_or_404(request.user, firm_id),
                    actor=request.user,
                    name=form.cleaned_data["name"],
                    parent_id=form.cleaned_data["parent"],
                    description=form.cleaned_data["description"],
                )
                messages.success(request, f"Root cause '{node.name}' added.")
                return redirect("remediation:root_causes")
            except DomainError as exc:
                _form_errors(form, exc)
    return render(
        request,
        "remediation/root_causes.html",
        {"tree": selectors.root_cause_tree(firm_id), "form": form, "can_manage": can_manage},
        status=400 if form.errors else 200,
    )


@require_POST
@require_perm({"POST": Perm.MANAGE_FIRM}, model=RootCause)
def root_cause_edit(request: HttpRequest, pk: int):
    node = request.scoped_object
    try:
        if "active" in request.POST:
            services.root_cause_update(
                root_cause_id=node.pk, actor=request.user, active=request.POST["active"] == "1"
            )
        else:
            parent = request.POST.get("parent", "")
            services.root_cause_update(
                root_cause_id=node.pk,
                actor=request.user,
                name=request.POST.get("name", node.name),
                parent_id=int(parent) if parent.isdigit() else None,
            )
        messages.success(request, "Taxonomy updated.")
    except DomainError as exc:
        _flash_error(request, exc)
    return redirect("remediation:root_causes")


# --- action register ----------------------------------------------------------------------------


@require_perm(READ_OR_MANAGE)
def actions(request: HttpRequest) -> HttpResponse:
    firm_id = request.firm_id
    can_manage = access.has_perm(request.user, firm_id, Perm.MANAGE_REMEDIATION)
    initial = {k: request.GET.get(k) for k in ("root_cause", "incident") if request.GET.get(k)}
    form = ActionForm(initial=initial)
    if request.method == "POST":
        form = ActionForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            try:
                action = services.action_create(
                    firm=access.get_firm_or_404(request.user, firm_id),
                    actor=request.user,
                    now=timezone.now(),
                    title=data["title"],
                    description=data["description"],
                    root_cause_id=data["root_cause"],
                    incident_id=data["incident"],
                    owner_id=data["owner"],
                    due_on=data["due_on"],
                    review_on=data["review_on"],
                )
                messages.success(request, "Action raised.")
                return redirect("remediation:action", pk=action.pk)
            except DomainError as exc:
                _form_errors(form, exc)
    status = request.GET.get("status", "")
    qs = selectors.actions([firm_id])
    if status == "active":
        qs = qs.filter(status__in=[ActionStatus.OPEN, ActionStatus.IN_PROGRESS])
    elif status in ActionStatus.values:
        qs = qs.filter(status=status)
    return render(
        request,
        "remediation/actions.html",
        {
            "actions": list(qs),
            "form": form,
            "can_manage": can_manage,
            "status": status,
            "statuses": ActionStatus.choices,
            "tree": selectors.root_cause_tree(firm_id),
            "incidents": Incident.objects.filter(firm_id=firm_id).order_by("-started_at"),
            "members": _members(firm_id),
            "today": london_date(timezone.now()),
        },
        status=400 if form.errors else 200,
    )


@require_perm(READ_OR_MANAGE, model=_ACTION)
def action_detail(request: HttpRequest, pk: int) -> HttpResponse:
    action = request.scoped_object
    can_manage = access.has_perm(request.user, action.firm_id, Perm.MANAGE_REMEDIATION)
    form = ActionStatusForm(initial={"version": action.version})
    if request.method == "POST":
        form = ActionStatusForm(request.POST)
        if form.is_valid():
            try:
                services.action_set_status(
                    action_id=action.pk,
                    actor=request.user,
                    now=timezone.now(),
                    status=form.cleaned_data["status"],
                    fix_date=form.cleaned_data["fix_date"],
                    review_note=form.cleaned_data["review_note"],
                    expected_version=form.cleaned_data["version"],
                )
                messages.success(request, "Action updated.")
                return redirect("remediation:action", pk=action.pk)
            except DomainError as exc:
                _form_errors(form, exc)
    today = london_date(timezone.now())
    return render(
        request,
        "remediation/action_detail.html",
        {
            "action": action,
            "form": form,
            "can_manage": can_manage,
            "effect": selectors.action_effectiveness(action, today),
            "history": list(
                action.history.select_related("history_user").order_by("-history_date")
            ),
        },
        status=400 if form.errors else 200,
    )


# --- redress ledger -----------------------------------------------------------------------------


@require_perm({"read": Perm.VIEW_COMPLAINTS})
def redress_ledger(request: HttpRequest) -> HttpResponse:
    firm_id = request.firm_id
    today = london_date(timezone.now())
    complaints = Complaint.objects.filter(firm_id=firm_id)
    overdue = request.GET.get("overdue") == "1"
    status = request.GET.get("status", "")
    items = selectors.ledger(complaints, today, status=status, overdue=overdue)[:500]
    return render(
        request,
        "remediation/ledger.html",
        {
            "items": list(items),
            "totals": selectors.ledger_totals(complaints, today),
            "overdue": overdue,
            "status": status,
            "statuses": RedressStatus.choices,
            "gaps": list(
                selectors.upheld_without_redress_decision(complaints).select_related("owner")[:200]
            ),
        },
    )


# --- MI dashboard -------------------------------------------------------------------------------


def _period(request: HttpRequest, today: date) -> tuple[PeriodForm, date, date]:
    form = PeriodForm(request.GET or None)
    start, end = mi.default_period(today)
    if form.is_bound and form.is_valid():
        start = form.cleaned_data["date_from"] or start
        end = form.cleaned_data["date_to"] or end
    if end < start:
        start, end = end, start
    return form, start, end


def _mi(request: HttpRequest, dimensions: tuple[str, ...] = tuple(mi.DIMENSIONS)):
    firm_id = request.firm_id
    today = london_date(timezone.now())
    form, start, end = _period(request, today)
    data = mi.dashboard(
        Complaint.objects.filter(firm_id=firm_id),
        date_from=start,
        date_to=end,
        today=today,
        dimensions=dimensions,
    )
    return form, data


@require_perm({"read": Perm.VIEW_MI})
def dashboard(request: HttpRequest) -> HttpResponse:
    form, data = _mi(request)
    period = f"{data.date_from:%-d %b %Y} to {data.date_to:%-d %b %Y}"
    sections = []
    for key, title in mi.DIMENSIONS.items():
        rows = data.tables[key]
        desc = "; ".join(
            f"{r.label}: {r.received} received, {r.upheld} upheld, {r.breached} breached"
            for r in rows
        )
        maker = charts.column_chart if key == "month" else charts.bar_chart
        sections.append(
            {
                "key": key,
                "title": f"By {title.lower()}",
                "rows": rows,
                "chart": maker(
                    chart_id=f"chart-{key}",
                    title=f"Complaints by {title.lower()}, {period}",
                    desc=desc or "No complaints in the period.",
                    rows=rows,
                ),
            }
        )
    paid = charts.column_chart(
        chart_id="chart-paid",
        title=f"Redress paid (GBP) by month received, {period}",
        desc="; ".join(f"{r.label}: £{r.redress_paid:,.2f}" for r in data.tables["month"]),
        rows=data.tables["month"],
        series=(charts.Series("redress_paid", "Redress paid (GBP)", "#1e5b36"),),
    )
    return render(
        request,
        "remediation/dashboard.html",
        {
            "form": form,
            "data": data,
            "sections": sections,
            "paid_chart": paid,
            "query": request.GET.urlencode(),
        },
    )


@require_perm({"read": Perm.VIEW_MI})
def dashboard_csv(request: HttpRequest, table: str) -> HttpResponse:
    if table not in mi.DIMENSIONS:
        raise Http404("No such table.")
    _, data = _mi(request, dimensions=(table,))
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = (
        f'attachment; filename="complaints-mi-{table}-{data.date_from}-{data.date_to}.csv"'
    )
    writer = csv.writer(response)
    writer.writerow(mi.CSV_HEADER)
    writer.writerows(mi.csv_rows(data.tables[table]))
    writer.writerow(mi.csv_rows([data.total])[0])
    return response
