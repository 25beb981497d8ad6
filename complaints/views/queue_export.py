"""The work queue's current view as CSV or XLSX: the same filters and sort, every page.

Bounded: at most ``EXPORT_MAX`` rows (a wider view is refused with a flash, asking for narrower
filters). The ids are read once in the view's order, then the rows a chunk at a time, so the
number of queries depends on the chunks, never on the rows; the CSV is streamed as it is
written. Both formats go through ``common.exports`` (formulas neutralised, UK dates).
"""

from __future__ import annotations

import io
from collections.abc import Iterator
from datetime import datetime

from django.contrib import messages
from django.http import Http404, HttpResponse, StreamingHttpResponse
from django.utils import timezone

from common import exports
from common.dates import london_date
from complaints import selectors
from complaints.access import Perm, require_perm
from complaints.disp.calendar import BusinessCalendar
from complaints.selectors.queue import load_rows, queue_ordered

from .base import firm_required
from .queue import queue_view
from .queue_actions import _to_queue

EXPORT_MAX = 10_000
CHUNK = 500
FORMATS = ("csv", "xlsx")

COLUMNS = (
    exports.Column("reference", "Reference"),
    exports.Column("received_at", "Received"),
    exports.Column("complainant", "Complainant"),
    exports.Column("activity", "Activity"),
    exports.Column("status", "Status"),
    exports.Column("regime", "Regime"),
    exports.Column("owner", "Owner"),
    exports.Column("next_deadline", "Next deadline"),
    exports.Column("deadline_state", "Deadline state"),
    exports.Column("deadline", "Deadline", width=40),
    exports.Column("next_task_due", "Next task due"),
    exports.Column("is_complaint", "Complaint under the Glossary"),
    exports.Column("vulnerable", "Support needs recorded"),
    exports.Column("vulnerability_failure", "Failure to respond to vulnerability"),
)


def _rows(ids: list[int], *, now: datetime, calendar: BusinessCalendar) -> Iterator[list[object]]:
    today = london_date(now)
    for start in range(0, len(ids), CHUNK):
        complaints = load_rows(ids[start : start + CHUNK], today)
        for row in selectors.queue_rows(complaints, now=now, calendar=calendar):
            c, d = row.complaint, row.deadline
            owner = c.owner.get_full_name() or c.owner.username if c.owner else ""
            yield [
                c.reference,
                c.received_at,
                c.complainant.name,
                c.get_activity_display(),
                c.get_status_display(),
                c.get_regime_display(),
                owner,
                d.due,
                d.urgency_label if d.urgency != selectors.NONE else "",
                f"{d.text} {d.detail}".strip(),
                row.next_task.due_on if row.next_task else None,
                c.is_complaint,
                bool(c.complainant_vulnerable),
                c.vulnerability_failure,
            ]


def _csv_stream(rows: Iterator[list[object]]) -> Iterator[bytes]:
    buffer = io.StringIO()
    writer = exports.CsvWriter(buffer)

    def take() -> bytes:
        text = buffer.getvalue()
        buffer.seek(0)
        buffer.truncate()
        return text.encode("utf-8")

    writer.header(COLUMNS)
    yield take()
    for values in rows:
        writer.row(values)  # type: ignore[arg-type]
        yield take()


@firm_required
@require_perm({"read": Perm.VIEW_COMPLAINTS})
def queue_export(request, fmt: str):
    if fmt not in FORMATS:
        raise Http404("Unknown format.")
    now = timezone.now()
    view = queue_view(request, london_date(now))
    ordered = queue_ordered(**view.kwargs(request))
    ids = list(ordered.values_list("pk", flat=True)[: EXPORT_MAX + 1])
    query = request.GET.urlencode()
    if len(ids) > EXPORT_MAX:
        messages.error(
            request,
            f"This view holds more than {EXPORT_MAX:,} complaints: narrow the filters to "
            "export it.",
        )
        return _to_queue(query)
    rows = _rows(ids, now=now, calendar=view.calendar)
    name = f"work-queue-{view.membership.firm.frn}-{view.today.isoformat()}.{fmt}"
    response: HttpResponse | StreamingHttpResponse
    if fmt == "csv":
        response = StreamingHttpResponse(_csv_stream(rows), content_type=exports.CSV_CONTENT_TYPE)
    else:
        table = exports.Table("Work queue", COLUMNS, rows)
        response = HttpResponse(exports.xlsx_bytes(table), content_type=exports.XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
