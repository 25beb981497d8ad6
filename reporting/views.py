"""Reporting pages: thin views over ``reporting.selectors`` (reads) and ``reporting.services``
(writes). Another firm's data is a 404; actions the role does not allow are not offered, and
the services refuse them anyway."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.http import FileResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST
from django_fsm import can_proceed

from common.dates import london_date
from common.errors import ConflictError, DomainError
from common.jobs import DuplicateUpload
from common.pageactions import (
    ActionPage,
    PageAction,
    apply_service_errors,
    form_page,
    form_page_or_perform,
    message_only,
    perform,
)
from complaints.access import Perm, has_perm, require_perm
from complaints.models import Firm

from . import exports, selectors, services, tasks
from .choices import DATA_ITEMS, Metric
from .imports import ERRORS_SHOWN, HEADER
from .models import ClientPositionSnapshot, ImportRejection, ReturnVersion, Sup16Return

# Access is declared per view with complaints.access.require_perm: reading needs view_returns,
# computing and loading snapshots prepare_returns, approving and recording the submission
# approve_returns (reporting officers and supervisors: every role the service accepts).
# Another firm's firm page, return or snapshot is a 404; a colleague beyond the role gets 403.
READ = {"read": Perm.VIEW_RETURNS}
_FIRM: dict[str, Any] = {
    "model": Firm.objects.prefetch_related("activities"),
    "kwarg": "firm_id",
    "firm_path": "pk",
}
_RETURN = Sup16Return.objects.select_related("firm", "latest_version", "submitted_version")


def _as_at_field(label: str, what: str) -> forms.DateField:
    return forms.DateField(
        label=f"{label} as at (period end)",
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=f"The reporting reference date the {what} as at.",
    )


class SnapshotUploadForm(forms.Form):
    as_at = _as_at_field("Positions", "positions are")
    file = forms.FileField(
        label="Client position file (.csv or .xlsx)",
        help_text="One row per arrangement; header exactly: " + ",".join(HEADER),
    )


class NilDeclarationForm(forms.Form):
    as_at = _as_at_field("No client arrangements", "declaration is")
    confirm = forms.BooleanField(
        required=False,
        label="I confirm the firm had no client with a qualifying cryptoasset activity "
        "arrangement at the end of that day.",
    )
    note = forms.CharField(
        label="Note (optional)",
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="For example, how this was checked.",
    )


class ComputeForm(forms.Form):
    period_end = forms.DateField(widget=forms.DateInput(attrs={"type": "date"}))


class SubmitForm(forms.Form):
    submission_reference = forms.CharField(max_length=100, required=False)


def _today():
    return london_date(timezone.now())


@require_perm(READ, any_firm=True)
def returns(request):
    """The nav entry: the dashboard of the selected firm, or of the first firm the user reports
    for."""
    return redirect("reporting:dashboard", firm_id=request.firm_id)


@require_perm(READ, **_FIRM)
def dashboard(request, firm_id: int):
    firm = request.scoped_object
    today = _today()
    cal = selectors.firm_reporting_calendar(firm)
    rows = selectors.calendar_rows(firm, today)
    closed = [r.period for r in rows if r.closed]
    return render(
        request,
        "reporting/dashboard.html",
        {
            "firm": firm,
            "firms": selectors.firms_for_reporting(request.user),
            "calendar": cal,
            "rows": rows,
            "due": selectors.returns_due(selectors.reporting_firm_ids(request.user), today),
            "snapshots": selectors.snapshots_of_firm(firm)[:10],
            "rejections": selectors.rejections_of_firm(firm)[:5],
            "returns": selectors.returns_of_firm(firm)[:12],
            "closed_periods": closed,
            "can_prepare": has_perm(request.user, firm.pk, Perm.PREPARE_RETURNS),
            "today": today,
            "basis": selectors.upheld_basis(),
        },
    )


# Computing lands on the new version; a refusal is flashed on the firm's dashboard.
_DASHBOARD = ActionPage(
    landing=lambda request, firm, result: redirect("reporting:dashboard", firm_id=firm.pk),
    describe=message_only,
)
_COMPUTE = PageAction(
    services.return_compute,
    lambda firm, version: f"Computed version {version.number}.",
    landing=lambda request, firm, version: redirect(
        "reporting:return_detail", pk=version.sup16_return_id
    ),
)


@require_POST
@require_perm({"POST": Perm.PREPARE_RETURNS}, **_FIRM)
def compute(request, firm_id: int):
    firm = request.scoped_object
    form = ComputeForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Choose the period end to compute.")
        return redirect("reporting:dashboard", firm_id=firm.pk)
    return perform(request, _COMPUTE, firm, _DASHBOARD, form=form, firm=firm)


@require_perm(Perm.PREPARE_RETURNS, **_FIRM)
def snapshot_upload(request, firm_id: int):
    """Store the file and queue its import (``reporting.tasks``); the job page shows progress."""
    firm = request.scoped_object
    if request.method == "POST":
        form = SnapshotUploadForm(request.POST, request.FILES)
        if form.is_valid():
            try:
                job = tasks.snapshot_upload_start(
                    firm=firm,
                    as_at=form.cleaned_data["as_at"],
                    file=form.cleaned_data["file"],
                    actor=request.user,
                    now=timezone.now(),
                )
            except DuplicateUpload as exc:
                messages.info(request, exc.message)
                return redirect("reporting:job_detail", pk=exc.job.pk)
            except ConflictError as exc:
                messages.info(request, exc.message)
                return redirect(exc.extra.get("result_url") or request.path)
            except DomainError as exc:
                apply_service_errors(form, exc)
            else:
                return redirect("reporting:job_detail", pk=job.pk)
    else:
        latest = selectors.firm_reporting_calendar(firm).latest_closed_period(_today())
        form = SnapshotUploadForm(initial={"as_at": latest.end})
    return render(
        request,
        "reporting/snapshot_upload.html",
        {"firm": firm, "form": form, "header": ",".join(HEADER)},
    )


def _nil_page(request, firm: Firm, context: dict[str, Any], status: int):
    form = context.get("form") or NilDeclarationForm(
        initial={
            "as_at": selectors.firm_reporting_calendar(firm).latest_closed_period(_today()).end
        }
    )
    return render(
        request, "reporting/snapshot_nil.html", {"firm": firm, "form": form}, status=status
    )


def _to_snapshot(request, firm: Firm, result: services.ImportResult):
    return redirect("reporting:snapshot_detail", pk=result.snapshot.pk)


_NIL = PageAction(
    services.snapshot_declare_nil,
    lambda firm, result: (
        "Nil declaration recorded."
        if result.created
        else "A nil declaration is already the latest for that date; nothing changed."
    ),
    form=NilDeclarationForm,
)


@require_perm(Perm.PREPARE_RETURNS, **_FIRM)
def snapshot_nil(request, firm_id: int):
    """SUP 16.34.6R(3)-(4): declare that the firm had no client arrangements at a period end."""
    firm = request.scoped_object
    return form_page_or_perform(
        request, _NIL, firm, form_page(landing=_to_snapshot, rerender=_nil_page), firm=firm
    )


@require_perm(READ, model=ClientPositionSnapshot.objects.select_related("firm", "loaded_by"))
def snapshot_detail(request, pk: int):
    snapshot = request.scoped_object
    client = request.GET.get("client", "")
    page = selectors.snapshot_rows_page(snapshot, request.GET.get("page", 1), client)
    return render(
        request,
        "reporting/snapshot_detail.html",
        {
            "snapshot": snapshot,
            "firm": snapshot.firm,
            "page": page,
            "client": client,
            "summary": selectors.snapshot_summary(snapshot),
            "history": snapshot.history.select_related("history_user").order_by("-history_id"),
        },
    )


@require_perm(READ, model=ImportRejection.objects.select_related("firm"))
def rejection_detail(request, pk: int):
    rejection = request.scoped_object
    return render(
        request,
        "reporting/rejection.html",
        {"rejection": rejection, "firm": rejection.firm, "shown_limit": ERRORS_SHOWN},
    )


@require_perm(READ, model=ImportRejection.objects.select_related("firm"))
def rejection_errors(request, pk: int):
    rejection = request.scoped_object
    return FileResponse(
        rejection.errors_file.open("rb"),
        as_attachment=True,
        filename=f"import-errors-{rejection.firm.frn}-{rejection.as_at.isoformat()}.csv",
        content_type="text/csv",
    )


def _version_context(request, filing, version: ReturnVersion) -> dict:
    user = request.user
    firm_id = filing.firm_id
    is_latest = filing.latest_version_id == version.pk
    can_approve = (
        has_perm(user, firm_id, Perm.APPROVE_RETURNS)
        and can_proceed(version.approve)
        and is_latest
        and version.computed_by_id != user.pk
    )
    figures = version.figures()
    drill = {
        "complaints_received": Metric.RECEIVED,
        "complaints_upheld": (
            Metric.UPHELD if version.upheld_basis == "event" else Metric.UPHELD_COHORT
        ),
        "active_clients": Metric.ACTIVE_CLIENTS,
        "vulnerable_active_retail_customers": Metric.VULNERABLE_CLIENTS,
    }
    items = [
        {
            "name": name,
            "reference": ref,
            "description": text,
            "value": figures[name],
            "metric": drill[name],
        }
        for name, (ref, text) in DATA_ITEMS.items()
    ]
    # What the version stored (an older version may carry a reason no longer computed).
    exclusions, flags = (
        [
            {"metric": m, "label": Metric(m).label, "count": stored[m]}
            for m in Metric.values
            if m in stored
        ]
        for stored in (version.exclusions, version.flags)
    )
    return {
        "filing": filing,
        "firm": filing.firm,
        "version": version,
        "versions": selectors.versions_of(filing),
        "items": items,
        "exclusions": exclusions,
        "flags": [f for f in flags if f["count"]],
        "is_latest": is_latest,
        "can_approve": can_approve,
        "prepared_by_me": version.computed_by_id == user.pk,
        "can_submit": can_proceed(version.submit) and has_perm(user, firm_id, Perm.APPROVE_RETURNS),
        "can_prepare": has_perm(user, firm_id, Perm.PREPARE_RETURNS),
        "changes": selectors.describe_changes(version),
        "history": selectors.return_history(filing),
    }


@require_perm(READ, model=_RETURN)
def return_detail(request, pk: int):
    filing = request.scoped_object
    number = request.GET.get("version")
    version = selectors.get_version_or_404(filing, int(number) if number else None)
    return render(
        request, "reporting/return_detail.html", _version_context(request, filing, version)
    )


@require_perm(READ, model=_RETURN)
def return_items(request, pk: int, number: int, metric: str):
    filing = request.scoped_object
    version = selectors.get_version_or_404(filing, number)
    page, rows = selectors.version_items_page(
        version,
        metric,
        request.GET.get("page", 1),
        after=request.GET.get("after", "")[:64],
    )
    keyset = isinstance(page, selectors.KeysetPage)
    context = {
        "keyset": keyset,
        "count": page.count if isinstance(page, selectors.KeysetPage) else page.paginator.count,
        "filing": filing,
        "firm": filing.firm,
        "version": version,
        "metric": metric,
        "metric_label": Metric(metric).label,
        "is_clients": metric in Metric.client_metrics(),
        "page": page,
        "rows": rows,
    }
    template = "reporting/_items.html" if request.htmx else "reporting/items.html"
    return render(request, template, context)


def _submission_reference(post) -> str:
    form = SubmitForm(post)
    return form.cleaned_data["submission_reference"] if form.is_valid() else ""


# Approving and recording the submission act on one version of the return, and land on it.
VERSION_ACTIONS = {
    "approve": PageAction(
        services.return_approve,
        lambda filing, version: f"Version {version.number} approved and frozen.",
        id_kwarg="return_id",
    ),
    "submit": PageAction(
        services.return_submit,
        lambda filing, version: f"Version {version.number} recorded as submitted to the FCA.",
        id_kwarg="return_id",
        arguments=lambda post: {"submission_reference": _submission_reference(post)},
    ),
}


def version_action_view(name: str):
    """The view posting the ``name`` action on version ``number`` of the return."""

    @require_POST
    @require_perm({"POST": Perm.APPROVE_RETURNS}, model=_RETURN)
    def view(request, pk: int, number: int):
        url = f"{reverse('reporting:return_detail', args=[pk])}?version={number}"
        page = ActionPage(landing=lambda *_: redirect(url), describe=message_only)
        return perform(request, VERSION_ACTIONS[name], request.scoped_object, page, version=number)

    return view


@require_perm(READ, model=_RETURN)
def return_export(request, pk: int, number: int, fmt: str):
    filing = request.scoped_object
    return exports.download(selectors.get_version_or_404(filing, number), fmt)
