"""Register import in the UI: upload → preview (every row validated) → confirm → result."""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from common.errors import DomainError
from complaints.access import Perm, require_perm

from . import columns
from .models import ImportBatch, ImportStatus
from .services import import_commit, import_preview, previously_committed


def max_bytes() -> int:
    return getattr(settings, "INTAKE_IMPORT_MAX_BYTES", 10 * 1024 * 1024)


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
    form = UploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        file = form.cleaned_data["file"]
        try:
            batch = import_preview(
                firm=firm,
                actor=request.user,
                now=timezone.now(),
                filename=file.name,
                content=file.read(),
            )
        except DomainError as exc:
            form.add_error("file", exc.message)
        else:
            return redirect("intake:detail", pk=batch.pk)
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
    result = import_commit(
        batch_id=batch.pk,
        actor=request.user,
        now=timezone.now(),
        all_or_nothing=request.POST.get("all_or_nothing") == "on",
    )
    if result.pk != batch.pk:
        messages.info(request, "This file was imported before: nothing new was created.")
    elif result.status == ImportStatus.REJECTED:
        messages.error(request, "Nothing was imported: some rows have errors (all-or-nothing).")
    else:
        messages.success(request, f"Imported {result.rows_ok} complaint(s).")
    return redirect("intake:detail", pk=result.pk)


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
