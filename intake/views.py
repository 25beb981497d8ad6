"""Register import in the UI: upload → preview job (every row validated) → confirm → import job
→ result. Both jobs run in the background (``intake.tasks``); their page shows progress."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from common.errors import DomainError
from common.jobs import DuplicateUpload, cancel_upload_job
from common.models import UploadJob
from complaints.access import Perm, require_perm

from . import columns, tasks
from .models import ImportBatch, ImportStatus
from .services import previously_committed
from .tasks import max_bytes


class UploadForm(forms.Form):
    file = forms.FileField(
        label="Register file (.csv or .xlsx)",
        help_text="One complaint per row, in the template's columns.",
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > max_bytes():
            raise forms.ValidationError(f"At most {max_bytes() // (1024 * 1024)} MB.")
        if not upload.name.lower().endswith((".csv", ".xlsx")):
            raise forms.ValidationError("Upload a .csv or .xlsx file.")
        return upload


# Importing a register is logging complaints in bulk: handle_complaints in the firm selected in
# the switcher (complaints.access.require_perm). Another firm's import is a 404.
_BATCH = ImportBatch.objects.select_related("firm")


@require_http_methods(["GET", "POST"])
@require_perm(Perm.HANDLE_COMPLAINTS)
def upload(request):
    firm = request.membership.firm
    # Bound on every POST, so a POST without a file says "This field is required.".
    form = UploadForm(request.POST, request.FILES) if request.method == "POST" else UploadForm()
    if request.method == "POST" and form.is_valid():
        try:
            job = tasks.register_preview_start(
                firm=firm, actor=request.user, now=timezone.now(), file=form.cleaned_data["file"]
            )
        except DomainError as exc:
            form.add_error("file", exc.message)
        else:
            return redirect("intake:job_detail", pk=job.pk)
    recent = ImportBatch.objects.filter(firm=firm).select_related("uploaded_by")[:10]
    return render(
        request,
        "intake/upload.html",
        {"form": form, "firm": firm, "recent": recent, "columns": columns.COLUMNS},
    )


@require_perm({"read": Perm.HANDLE_COMPLAINTS}, model=_BATCH)
def detail(request, pk: int):
    batch = request.scoped_object
    rows = batch.results
    return render(
        request,
        "intake/detail.html",
        {
            "batch": batch,
            "rows": rows,
            "error_rows": [r for r in rows if r["outcome"] == "error"],
            "earlier": previously_committed(batch),
            "previewed": batch.status == ImportStatus.PREVIEWED,
        },
    )


@require_POST
@require_perm({"POST": Perm.HANDLE_COMPLAINTS}, model=_BATCH)
def confirm(request, pk: int):
    batch = request.scoped_object
    if batch.status != ImportStatus.PREVIEWED:
        messages.info(request, "This import has already been confirmed.")
        return redirect("intake:detail", pk=batch.pk)
    try:
        job = tasks.register_commit_start(
            batch=batch,
            actor=request.user,
            now=timezone.now(),
            all_or_nothing=request.POST.get("all_or_nothing") == "on",
        )
    except DuplicateUpload as exc:
        messages.info(request, "This import has already been confirmed.")
        job = exc.job
    return redirect("intake:job_detail", pk=job.pk)


_JOB = UploadJob.objects.filter(kind__in=tasks.JOB_KINDS).select_related("firm", "uploaded_by")


def _job_context(job: UploadJob) -> dict:
    return {
        "job": job,
        "title": "Checking a register" if job.kind == tasks.PREVIEW_JOB else "Importing a register",
        "back_url": reverse("intake:import"),
        "back_label": "Import a complaints register",
        "page_url": reverse("intake:job_detail", args=[job.pk]),
        "status_url": reverse("intake:job_status", args=[job.pk]),
        "cancel_url": reverse("intake:job_cancel", args=[job.pk]),
    }


@require_perm({"read": Perm.HANDLE_COMPLAINTS}, model=_JOB)
def job_detail(request, pk: int):
    return render(request, "common/job_detail.html", _job_context(request.scoped_object))


@require_perm({"read": Perm.HANDLE_COMPLAINTS}, model=_JOB)
def job_status(request, pk: int):
    return render(request, "common/_job_status.html", _job_context(request.scoped_object))


@require_POST
@require_perm({"POST": Perm.HANDLE_COMPLAINTS}, model=_JOB)
def job_cancel(request, pk: int):
    try:
        cancel_upload_job(job_id=pk, kinds=tasks.JOB_KINDS, actor=request.user, now=timezone.now())
    except DomainError as exc:
        messages.info(request, exc.message)
    else:
        messages.success(request, "Import cancelled: nothing was imported.")
    return redirect("intake:job_detail", pk=pk)


@require_perm({"read": Perm.HANDLE_COMPLAINTS})
def template(request, fmt: str):
    if fmt == "csv":
        response = HttpResponse(columns.template_csv(), content_type="text/csv; charset=utf-8")
    elif fmt == "xlsx":
        response = HttpResponse(
            columns.template_xlsx(),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
    else:
        raise Http404
    response["Content-Disposition"] = f'attachment; filename="complaints-register-template.{fmt}"'
    return response
