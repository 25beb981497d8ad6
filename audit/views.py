"""Audit review pages (supervisors and administrators: Perm.REVIEW_AUDIT). Read-only: GET only."""

from __future__ import annotations

import logging
from datetime import date

from django.contrib.auth import get_user_model
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET

from common.chain import ChainNotKept
from common.dates import london_date, uk_date
from complaints import access
from complaints.access import Perm, require_perm
from complaints.models import Complaint, Membership
from complaints.selectors.history import complaint_sources
from complaints.selectors.timeline import complaint_timeline

from .chains import firm_chains
from .exports import PDF_VALUE_CHARS, audit_csv, audit_pdf
from .forms import ActivityFilterForm, TimelineFilterForm
from .selectors import user_activity

logger = logging.getLogger(__name__)

_COMPLAINT = Complaint.objects.select_related("firm")


def audit_panel_context(request, complaint) -> dict | None:
    """The complaint page's "Audit trail" panel: only for those who may review the audit."""
    if not access.has_perm(request.user, complaint.firm_id, Perm.REVIEW_AUDIT):
        return None
    return {"audit_url": reverse("audit:complaint", args=[complaint.pk])}


def _members(firm_id: int) -> list[tuple[int, str]]:
    rows = (
        Membership.objects.filter(firm_id=firm_id)
        .select_related("user")
        .order_by("user__first_name", "user__last_name", "user__username")
    )
    return [(m.user_id, m.user.get_full_name() or m.user.get_username()) for m in rows]


def _timeline_form(request, complaint):
    kinds = [(s.key, s.label) for s in complaint_sources()]
    return TimelineFilterForm(request.GET or None, actors=_members(complaint.firm_id), kinds=kinds)


def _timeline(request, complaint, *, limit_chars=None):
    form = _timeline_form(request, complaint)
    filters = {}
    if form.is_bound and form.is_valid():
        filters = {
            "actor": form.cleaned_data["actor"] or None,
            "kinds": form.cleaned_data["kind"],
            "date_from": form.cleaned_data["date_from"],
            "date_to": form.cleaned_data["date_to"],
        }
    detail = access.firm_ids(request.user, Perm.VIEW_VULNERABILITY_DETAIL)
    entries = complaint_timeline(
        complaint, limit_chars=limit_chars, detail_firm_ids=detail, **filters
    )
    return form, filters, entries


def _describe_filters(form, filters) -> list[tuple[str, str]]:
    if not filters:
        return []
    described = []
    if filters.get("actor"):
        labels = dict(form.fields["actor"].choices)
        described.append(("Person", labels.get(filters["actor"], filters["actor"])))
    if filters.get("kinds"):
        labels = dict(form.fields["kind"].choices)
        described.append(("Kind", ", ".join(labels[k] for k in filters["kinds"])))
    if filters.get("date_from"):
        described.append(("From", uk_date(filters["date_from"])))
    if filters.get("date_to"):
        described.append(("To", uk_date(filters["date_to"])))
    return described


@require_GET
@require_perm(Perm.REVIEW_AUDIT)
def index(request):
    """Find a complaint by reference, or pick a colleague to see what they did."""
    reference = request.GET.get("reference", "").strip()
    not_found = False
    if reference:
        complaint = (
            access.complaints_for(request.user, Perm.REVIEW_AUDIT)
            .filter(reference__iexact=reference)
            .first()
        )
        if complaint is not None:
            return redirect("audit:complaint", complaint_id=complaint.pk)
        not_found = True
    return render(
        request,
        "audit/index.html",
        {
            "reference": reference,
            "not_found": not_found,
            "members": _members(request.firm_id),
            "firm": request.membership.firm,
        },
    )


@require_GET
@require_perm(Perm.REVIEW_AUDIT, model=_COMPLAINT, kwarg="complaint_id")
def complaint_audit(request, complaint_id: int):
    complaint = request.scoped_object
    form, filters, entries = _timeline(request, complaint)
    query = request.GET.urlencode()
    return render(
        request,
        "audit/complaint_audit.html",
        {
            "complaint": complaint,
            "form": form,
            "entries": entries,
            "filters": _describe_filters(form, filters),
            "query": f"?{query}" if query else "",
        },
    )


def _export_name(complaint, extension: str) -> str:
    return f"audit-{complaint.reference}-{london_date(timezone.now()):%Y%m%d}.{extension}"


def _log_export(request, complaint, fmt: str, count: int) -> None:
    # Ids only: the export itself holds personal data, the log must not.
    logger.info(
        "audit export: user=%s complaint=%s format=%s entries=%s",
        request.user.pk,
        complaint.pk,
        fmt,
        count,
    )


@require_GET
@require_perm(Perm.REVIEW_AUDIT, model=_COMPLAINT, kwarg="complaint_id")
def complaint_audit_csv(request, complaint_id: int):
    complaint = request.scoped_object
    _form, _filters, entries = _timeline(request, complaint)
    response = HttpResponse(audit_csv(entries), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{_export_name(complaint, "csv")}"'
    _log_export(request, complaint, "csv", len(entries))
    return response


@require_GET
@require_perm(Perm.REVIEW_AUDIT, model=_COMPLAINT, kwarg="complaint_id")
def complaint_audit_pdf(request, complaint_id: int):
    complaint = request.scoped_object
    form, filters, entries = _timeline(request, complaint, limit_chars=PDF_VALUE_CHARS)
    pdf = audit_pdf(
        complaint=complaint,
        entries=entries,
        generated_by=request.user.get_full_name() or request.user.get_username(),
        generated_at=timezone.now(),
        filters=_describe_filters(form, filters),
    )
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{_export_name(complaint, "pdf")}"'
    _log_export(request, complaint, "pdf", len(entries))
    return response


@require_GET
@require_perm(
    Perm.REVIEW_AUDIT,
    model=get_user_model().objects.all(),
    kwarg="user_id",
    firm_path="memberships__firm_id",
)
def user_activity_view(request, user_id: int):
    """What one colleague did, newest first, a page at a time, within the firms where the
    viewer reviews audit; optionally within a period (Europe/London days)."""
    subject = request.scoped_object
    form = ActivityFilterForm(request.GET or None)
    period: dict[str, date | None] = {"date_from": None, "date_to": None}
    if form.is_bound and form.is_valid():
        period = {k: form.cleaned_data[k] for k in period}
    activity = None
    if not form.is_bound or form.is_valid():
        activity = user_activity(
            user_id,
            firm_ids=access.firm_ids(request.user, Perm.REVIEW_AUDIT),
            page=request.GET.get("page") or 1,
            detail_firm_ids=access.firm_ids(request.user, Perm.VIEW_VULNERABILITY_DETAIL),
            date_from=period["date_from"],
            date_to=period["date_to"],
        )
    return render(
        request,
        "audit/user_activity.html",
        {
            "subject": subject,
            "subject_name": subject.get_full_name() or subject.get_username(),
            "form": form,
            "entries": activity.entries if activity else [],
            "page_obj": activity.page if activity else None,
            "period": [
                (label, uk_date(v))
                for label, v in zip(("From", "To"), period.values(), strict=True)
                if v
            ],
        },
    )


@require_GET
@require_perm(Perm.REVIEW_AUDIT)
def chain_status(request):
    """Which of the firm's audit chains are intact, checked now (docs/audit.md)."""
    try:
        rows, breaks = firm_chains([request.firm_id])
    except ChainNotKept as exc:
        rows, breaks, not_kept = [], [], str(exc)
    else:
        not_kept = ""
    return render(
        request,
        "audit/chains.html",
        {
            "firm": request.membership.firm,
            "rows": rows,
            "breaks": breaks,
            "not_kept": not_kept,
            "chains": sum(r.report.chains for r in rows),
            "broken": sum(r.report.broken_chains for r in rows),
            "checked_at": timezone.now(),
        },
    )
