"""A return version as JSON, CSV and XLSX, each naming the SUP 16.34.6R data items."""

from __future__ import annotations

from typing import Any

from django.http import Http404, HttpResponse, JsonResponse

from common import exports

from .choices import DATA_ITEMS
from .models import ReturnVersion
from .selectors import FIGURE_LABELS


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


_ITEM_COLUMNS = (
    exports.Column("data_item", "Data item reference", 18),
    exports.Column("item", "Data item", 38),
    exports.Column("description", "Description", 90),
    exports.Column("value", "Value", 14),
    exports.Column("field", "Field", 38),
)
_DETAIL_COLUMNS = (exports.Column("field", "Field", 48), exports.Column("value", "Value", 48))
# (payload key, heading); dates and datetimes go out typed, in UK local time.
_DETAILS = (
    ("firm", "Firm"),
    ("frn", "FRN"),
    ("period_start", "Period start"),
    ("period_end", "Period end"),
    ("due_date", "Due date"),
    ("stub_period", "Stub period"),
    ("trial_period", "Trial period"),
    ("version", "Version"),
    ("status", "Status"),
    ("complaints_upheld_basis", "Basis of complaints upheld"),
    ("complaints_upheld_event", "Complaints upheld during the period"),
    ("complaints_upheld_cohort", "Complaints received in the period and upheld"),
    ("client_metrics_exempt", "Client metrics exempt"),
    ("reference_date_convention", "Reference date convention"),
    ("calendar_version", "Calendar version"),
    ("computed_by", "Computed by"),
    ("computed_at", "Computed at"),
    ("approved_by", "Approved by"),
    ("approved_at", "Approved at"),
    ("submitted_at", "Submitted at"),
    ("submission_reference", "Submission reference"),
)
_TYPED = {
    "period_start": lambda v: v.sup16_return.period_start,
    "period_end": lambda v: v.sup16_return.period_end,
    "due_date": lambda v: v.sup16_return.due_date,
    "computed_at": lambda v: v.computed_at,
    "approved_at": lambda v: v.approved_at,
    "submitted_at": lambda v: v.submitted_at,
}


def _tables(version: ReturnVersion) -> tuple[exports.Table, exports.Table]:
    payload = return_payload(version)
    items = exports.Table(
        "SUP 16.34.6R",
        _ITEM_COLUMNS,
        [
            [i["reference"], FIGURE_LABELS[i["item"]], i["description"], i["value"], i["item"]]
            for i in payload["data_items"]
        ],
    )
    details = [
        [
            exports.Column(key, heading).title,
            _TYPED[key](version) if key in _TYPED else payload[key],
        ]
        for key, heading in _DETAILS
    ]
    if version.snapshot:
        details.append(
            ["Snapshot file SHA-256 (snapshot_file_sha256)", version.snapshot.file_sha256]
        )
        details.append(["Snapshot as at (snapshot_as_at)", version.snapshot.as_at])
    return items, exports.Table("Return details", _DETAIL_COLUMNS, details)


def return_csv(version: ReturnVersion) -> bytes:
    return exports.csv_bytes(*_tables(version))


def return_xlsx(version: ReturnVersion) -> bytes:
    return exports.xlsx_bytes(*_tables(version))


def export_filename(version: ReturnVersion, extension: str) -> str:
    filing = version.sup16_return
    return (
        f"SUP16-34-{filing.firm.frn}-{filing.period_end.isoformat()}-v{version.number}.{extension}"
    )


XLSX = exports.XLSX_CONTENT_TYPE


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
