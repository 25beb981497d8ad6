"""The snapshot upload job's page: its progress (polled by htmx) and cancel."""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from common.errors import DomainError
from common.jobs import cancel_upload_job
from common.models import UploadJob
from complaints.access import Perm, require_perm

from .tasks import JOB_KINDS

_JOB = UploadJob.objects.filter(kind__in=JOB_KINDS).select_related("firm", "uploaded_by")


def _context(job: UploadJob) -> dict:
    return {
        "job": job,
        "title": "Loading a client position snapshot",
        "back_url": reverse("reporting:dashboard", args=[job.firm_id]),
        "back_label": f"Returns for {job.firm.name}",
        "page_url": reverse("reporting:job_detail", args=[job.pk]),
        "status_url": reverse("reporting:job_status", args=[job.pk]),
        "cancel_url": reverse("reporting:job_cancel", args=[job.pk]),
    }


@require_perm({"read": Perm.VIEW_RETURNS}, model=_JOB)
def job_detail(request, pk: int):
    return render(request, "common/job_detail.html", _context(request.scoped_object))


@require_perm({"read": Perm.VIEW_RETURNS}, model=_JOB)
def job_status(request, pk: int):
    return render(request, "common/_job_status.html", _context(request.scoped_object))


@require_POST
@require_perm({"POST": Perm.PREPARE_RETURNS}, model=_JOB)
def job_cancel(request, pk: int):
    try:
        cancel_upload_job(job_id=pk, kinds=JOB_KINDS, actor=request.user, now=timezone.now())
    except DomainError as exc:
        messages.info(request, exc.message)
    else:
        messages.success(request, "Import cancelled: nothing was imported.")
    return redirect("reporting:job_detail", pk=pk)
