"""A complaint's audit trail as CSV (for analysis) and PDF (to hand to an auditor)."""

from __future__ import annotations

from datetime import datetime

from django.template.loader import render_to_string

from common import exports
from common.dates import uk_datetime
from common.pdf import html_document
from complaints.selectors.entries import TimelineEntry

# A PDF shortens each value to this many characters (the CSV keeps them whole), so one long
# letter or note cannot fill pages.
PDF_VALUE_CHARS = 240

CSV_COLUMNS = (
    exports.Column("when", "When (Europe/London)"),
    exports.Column("who", "Who"),
    exports.Column("what_happened", "What happened"),
    exports.Column("kind", "Kind"),
    exports.Column("record", "Record"),
    exports.Column("action", "Action"),
    exports.Column("field", "Field"),
    exports.Column("before", "Before"),
    exports.Column("after", "After"),
)


def audit_csv(entries: list[TimelineEntry]) -> bytes:
    """One row per changed field (one row for an entry without field changes); full values."""
    rows = []
    for e in entries:
        head = [e.at, e.actor, e.sentence, e.kind, e.object_label, e.action]
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
    """An A4 PDF: complaint reference, firm, who generated it and when, then every entry in a
    table that keeps to the page's width; the reference, the time it was generated and "Page n
    of m" on every page."""

    html = render_to_string(
        "audit/complaint_audit_pdf.html",
        {
            "complaint": complaint,
            "entries": entries,
            "generated_by": generated_by,
            "generated_at": uk_datetime(generated_at),
            "filters": filters,
            "value_chars": PDF_VALUE_CHARS,
        },
    )
    return html_document(html).write_pdf()
