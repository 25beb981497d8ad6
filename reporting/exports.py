"""A return version as JSON, CSV and XLSX, each naming the SUP 16.34.6R data items."""

from __future__ import annotations

import csv
import io
from typing import Any

from django.http import Http404, HttpResponse, JsonResponse

from .choices import DATA_ITEMS
from .models import ReturnVersion


def _user(user) -> str | None:
    return (user.get_full_name() or user.username) if user else None


def _iso(value) -> str | None:
    return value.isoformat() if value else None


def return_payload(version: ReturnVersion) -> dict[str, Any]:
    """Everything a reviewer or the FCA submission needs about one version, flat where the
    ``sup16_return`` command prints it."""
    filing = version.sup16_return
    firm = filing.firm
    figures = version.figures()
    snapshot = version.snapshot
    return {
        "firm": firm.name,
        "frn": firm.frn,
        "period_start": filing.period_start.isoformat(),
        "period_end": filing.period_end.isoformat(),
        "due_date": filing.due_date.isoformat(),
        "stub_period": filing.is_stub,
        "trial_period": filing.is_trial,
        "version": version.number,
        "status": version.status,
        **figures,
        "complaints_upheld_basis": version.upheld_basis,
        "complaints_upheld_event": version.complaints_upheld_event,
        "complaints_upheld_cohort": version.complaints_upheld_cohort,
        "client_metrics_exempt": version.exempt_client_metrics,
        "data_items": [
            {"reference": ref, "item": name, "description": text, "value": figures[name]}
            for name, (ref, text) in DATA_ITEMS.items()
        ],
        "not_counted": dict(version.exclusions),
        "counted_to_check": dict(version.flags),
        "snapshot": (
            {
                "id": snapshot.pk,
                "as_at": snapshot.as_at.isoformat(),
                "file_name": snapshot.file_name,
                "file_sha256": snapshot.file_sha256,
                "rows": snapshot.row_count,
                "nil_declaration": snapshot.nil_statement if snapshot.is_nil else None,
            }
            if snapshot
            else None
        ),
        "reference_date_convention": version.reference_date_convention,
        "calendar_version": version.calendar_version,
        "computed_by": _user(version.computed_by),
        "computed_at": _iso(version.computed_at),
        "approved_by": _user(version.approved_by),
        "approved_at": _iso(version.approved_at),
        "submitted_by": _user(version.submitted_by),
        "submitted_at": _iso(version.submitted_at),
        "submission_reference": version.submission_reference,
    }


def _rows(version: ReturnVersion) -> list[list]:
    payload = return_payload(version)
    rows: list[list] = [["data_item", "item", "description", "value"]]
    for item in payload["data_items"]:
        value = item["value"]
        rows.append(
            [item["reference"], item["item"], item["description"], "" if value is None else value]
        )
    rows.append([])
    rows.append(["field", "value"])
    for key in (
        "firm",
        "frn",
        "period_start",
        "period_end",
        "due_date",
        "stub_period",
        "trial_period",
        "version",
        "status",
        "complaints_upheld_basis",
        "complaints_upheld_event",
        "complaints_upheld_cohort",
        "client_metrics_exempt",
        "reference_date_convention",
        "calendar_version",
        "computed_by",
        "computed_at",
        "approved_by",
        "approved_at",
        "submitted_at",
        "submission_reference",
    ):
        value = payload[key]
        rows.append([key, "" if value is None else value])
    if payload["snapshot"]:
        rows.append(["snapshot_file_sha256", payload["snapshot"]["file_sha256"]])
        rows.append(["snapshot_as_at", payload["snapshot"]["as_at"]])
    return rows


def return_csv(version: ReturnVersion) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    for row in _rows(version):
        writer.writerow(row)
    return buffer.getvalue().encode("utf-8-sig")


def return_xlsx(version: ReturnVersion) -> bytes:
    import openpyxl
    from openpyxl.styles import Font

    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "SUP 16.34.6R"
    for row in _rows(version):
        sheet.append(row)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    sheet.column_dimensions["A"].width = 28
    sheet.column_dimensions["B"].width = 38
    sheet.column_dimensions["C"].width = 90
    sheet.column_dimensions["D"].width = 14
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def export_filename(version: ReturnVersion, extension: str) -> str:
    filing = version.sup16_return
    return (
        f"SUP16-34-{filing.firm.frn}-{filing.period_end.isoformat()}-v{version.number}.{extension}"
    )


XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def download(version: ReturnVersion, fmt: str) -> HttpResponse:
    """The frozen return as a file to save: ``csv``, ``xlsx`` or (indented) ``json``."""
    response: HttpResponse
    if fmt == "json":
        response = JsonResponse(return_payload(version), json_dumps_params={"indent": 2})
    elif fmt == "csv":
        response = HttpResponse(return_csv(version), content_type="text/csv")
    elif fmt == "xlsx":
        response = HttpResponse(return_xlsx(version), content_type=XLSX)
    else:
        raise Http404("Unknown export format.")
    response["Content-Disposition"] = f'attachment; filename="{export_filename(version, fmt)}"'
    return response
