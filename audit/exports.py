"""A complaint's audit trail as CSV (for analysis) and PDF (to hand to an auditor)."""

from __future__ import annotations

from datetime import datetime

from django.template.loader import render_to_string

from common import exports
from common.dates import uk_datetime
from complaints.selectors.timeline import TimelineEntry

CSV_COLUMNS = (
    exports.Column("when", "When (Europe/London)"),
    exports.Column("who", "Who"),
    exports.Column("kind", "Kind"),
    exports.Column("record", "Record"),
    exports.Column("action", "Action"),
    exports.Column("use_case", "Use case"),
    exports.Column("field", "Field"),
    exports.Column("before", "Before"),
    exports.Column("after", "After"),
)


def audit_csv(entries: list[TimelineEntry]) -> bytes:
    """One row per changed field (one row for an entry without field changes); full values."""
    rows = []
    for e in entries:
        head = [e.at, e.actor, e.kind, e.object_label, e.action, e.reason]
        tails = [[c.label, c.before, c.after] for c in e.changes] or [["", "", ""]]
        rows += [head + tail for tail in tails]
    return exports.csv_bytes(exports.Table("Audit trail", CSV_COLUMNS, rows))


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
