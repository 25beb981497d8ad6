"""The evidence panel on the complaint page, and the firm-scoped views that add, remove and
serve evidence. Files are never served from a public address: each response checks the firm and
role, names the type the bytes showed, forbids sniffing (``X-Content-Type-Options: nosniff``)
and says whether to show or save it (``Content-Disposition``)."""

from __future__ import annotations

from django.contrib import messages
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from common.compiled import ANY_ID, Compiled
from common.errors import DomainError
from common.pageactions import flash_form_errors, with_rule
from common.pdf_preview import PdfPreviewError, pdf_page_png
from complaints import access
from complaints.access import Perm, require_perm
from complaints.models import Complaint

from . import services
from .choices import Kind
from .forms import EvidenceForm, RemoveForm
from .models import PREVIEW_PAGES, Evidence
from .selectors import complaint_evidence
from .storage import evidence_storage

READ = {"GET": Perm.VIEW_COMPLAINTS}
HANDLE = {"POST": Perm.HANDLE_COMPLAINTS}
_EVIDENCE = Evidence.objects.select_related("complaint")
PAGE_WIDTH = 700


# The panel's read, compiled once per process (issue 18): a complaint id no row has marks where
# each page binds its own.
_PANEL_ROWS = Compiled(complaint_evidence(ANY_ID), ANY_ID)


def panel_context(request, complaint) -> dict:
    rows = _PANEL_ROWS.objects(complaint.pk)
    can_handle = access.has_perm(request.user, complaint.firm_id, Perm.HANDLE_COMPLAINTS)
    return {
        "complaint": complaint,
        "on_file": [r for r in rows if r.is_on_file],
        "removed": [r for r in rows if not r.is_on_file],
        "can_handle": can_handle,
        "form": EvidenceForm(auto_id="id_evidence_%s") if can_handle else None,
        "preview_pages": PREVIEW_PAGES,
        "link_kind": Kind.CHAIN_LINK,
    }


def _to_panel(complaint_id: int):
    return redirect(reverse("complaints:detail", args=[complaint_id]) + "#panel-evidence-h")


@require_POST
@require_perm(HANDLE, model=Complaint, kwarg="complaint_pk")
def upload(request, complaint_pk: int):
    complaint = request.scoped_object
    form = EvidenceForm(request.POST, request.FILES)
    if not form.is_valid():
        flash_form_errors(request, form)
        return _to_panel(complaint.pk)
    data = form.cleaned_data
    try:
        row = services.evidence_add(
            complaint,
            user=request.user,
            kind=data["kind"],
            title=data["title"],
            upload=data["file"],
            url=data["url"] or None,
            now=timezone.now(),
        )
    except DomainError as exc:
        messages.error(request, with_rule(exc))
        return _to_panel(complaint.pk)
    messages.success(request, f"Evidence added: {row.title}.")
    return _to_panel(complaint.pk)


@require_POST
@require_perm(HANDLE, model=_EVIDENCE, firm_path="firm_id")
def remove(request, pk: int):
    row = request.scoped_object
    form = RemoveForm(request.POST)
    if not form.is_valid():
        flash_form_errors(request, form)
        return _to_panel(row.complaint_id)
    try:
        services.evidence_remove(
            evidence_id=row.pk,
            actor=request.user,
            now=timezone.now(),
            reason=form.cleaned_data["reason"],
            expected_version=form.cleaned_data["expected_version"],
        )
    except DomainError as exc:
        messages.error(request, with_rule(exc))
        return _to_panel(row.complaint_id)
    messages.success(request, f"Removed from the case: {row.title}.")
    return _to_panel(row.complaint_id)


def serve(row: Evidence, *, inline: bool) -> FileResponse:
    """The stored file with the type its bytes showed; shown in the page only when it is an
    image or a recording, otherwise saved."""
    if not row.file:
        raise Http404("This evidence is a link, not a file.")
    show = inline and row.preview in ("image", "audio")
    response = FileResponse(
        evidence_storage.open(row.file.name, "rb"),
        content_type=row.content_type or "application/octet-stream",
        as_attachment=not show,
        filename=row.download_name,
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["X-Content-SHA256"] = row.sha256
    response["Cache-Control"] = "private, max-age=3600"
    return response


@require_GET
@require_perm(READ, model=_EVIDENCE)
def view_file(request, pk: int):
    """Images and recordings as the page shows them; anything else is saved."""
    return serve(request.scoped_object, inline=True)


@require_GET
@require_perm(READ, model=_EVIDENCE)
def download(request, pk: int):
    return serve(request.scoped_object, inline=False)


@require_GET
@require_perm(READ, model=_EVIDENCE)
def pdf_page(request, pk: int, number: int):
    """Page ``number`` of a PDF as a PNG (common.pdf_preview): no PDF viewer in the page."""
    row = request.scoped_object
    if row.preview != "pdf" or not row.page_count or not 1 <= number <= row.page_count:
        raise Http404("No such page.")
    try:
        png = pdf_page_png(services.read_bytes(row), number, width=PAGE_WIDTH)
    except PdfPreviewError:
        raise Http404("This PDF cannot be shown; download it instead.") from None
    response = HttpResponse(png, content_type="image/png")
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Disposition"] = f'inline; filename="evidence-{row.pk}-page-{number}.png"'
    response["Cache-Control"] = "private, max-age=3600"
    return response
