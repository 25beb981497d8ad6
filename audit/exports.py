"""A complaint's audit trail as CSV (for analysis) and PDF (to hand to an auditor)."""

from __future__ import annotations

import csv
import io
from datetime import datetime

from django.template.loader import render_to_string

from common.dates import LONDON, uk_datetime
from complaints.selectors.timeline import TimelineEntry

CSV_HEADER = [
    "When (Europe/London)",
    "When (ISO 8601)",
    "Who",
    "Kind",
    "Record",
    "Action",
    "Use case",
    "Field",
    "Before",
    "After",
]


def _cell(value: str) -> str:
    # Spreadsheets run cells starting with these as formulas (CSV injection).
    return f"'{value}" if value[:1] in ("=", "+", "-", "@", "\t", "\r") else value


def audit_csv(entries: list[TimelineEntry]) -> str:
    """One row per changed field (one row for an entry without field changes); full values."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(CSV_HEADER)
    for e in entries:
        head = [
            uk_datetime(e.at),
            e.at.astimezone(LONDON).isoformat(),
            e.actor,
            e.kind,
            e.object_label,
            e.action,
            e.reason,
        ]
        tails = [[c.label, c.before, c.after] for c in e.changes] or [["", "", ""]]
        for tail in tails:
            writer.writerow([_cell(str(v)) for v in head + tail])
    return out.getvalue()


def audit_pdf(
    *,
    complaint,
    entries: list[TimelineEntry],
    generated_by: str,
    generated_at: datetime,
    filters: list[tuple[str, str]],
) -> bytes:
    """A paginated PDF: complaint reference, firm, who generated it and when, every entry."""
    from weasyprint import HTML  # imported here: Pango is loaded only when a PDF is made

    html = render_to_string(
        "audit/complaint_audit_pdf.html",
        {
            "complaint": complaint,
            "entries": entries,
            "generated_by": generated_by,
            "generated_at": uk_datetime(generated_at),
            "filters": filters,
        },
    )
    return HTML(string=html).write_pdf()
