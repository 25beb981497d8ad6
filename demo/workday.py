"""Demo data for a handler's working day: tasks and diary dates (some overdue, some today, some
ahead) and evidence on open complaints, so "My tasks", the queue's next-task column, the daily
digest and the complaint page's Evidence panel show real records on first sign-in.

Built through the same services a handler uses (``task_create``, ``evidence_add``); idempotent
(nothing is added once the demo firm has a task).
"""

from __future__ import annotations

import io
from datetime import timedelta

from PIL import Image, ImageDraw

from common.dates import london_date
from complaints.choices import Status
from complaints.models import Complaint, Task
from complaints.services import task_create
from demo.complaints import DemoContext
from evidence.services import evidence_add
from letters.pdf import pdf_bytes

EXPLORER_URL = (
    "https://mempool.space/tx/4a5e1e4baab89f3a32518a88c31bc87f618f76673e2cc77ab2127b7afdeda33b"
)
# (days before today the task was set, days from today it is due, kind, note)
TASKS = [
    (9, -2, "chase", "Chase the custody team for the wallet trace"),
    (6, 0, "call_back", "Call back about the delayed withdrawal"),
    (3, 0, "review", "Review the redress calculation before the final response"),
    (2, 3, "chase", "Chase the complainant for the bank statement"),
    (1, 7, "call_back", "Call back once the incident report is in"),
]


def _statement_pdf(complaint: Complaint) -> bytes:
    html = (
        "<h1>Complainant's statement</h1>"
        f"<p>Reference {complaint.reference}.</p>"
        "<p>On the evening of the outage I tried to withdraw my funds three times. Each attempt "
        "showed 'processing' and the balance was frozen for two days, during which the price "
        "fell. I ask the firm to make good the difference.</p>"
    )
    return pdf_bytes(html)


def _screenshot_png() -> bytes:
    image = Image.new("RGB", (640, 360), "white")
    draw = ImageDraw.Draw(image)
    draw.rectangle((20, 20, 620, 80), outline="black", width=2)
    draw.text((32, 42), "Withdrawal 0.25 BTC - status: processing (since 17:42)", fill="black")
    draw.text((32, 110), "Available balance: 0.00000000 BTC", fill="black")
    out = io.BytesIO()
    image.save(out, format="PNG")
    return out.getvalue()


def load(ctx: DemoContext) -> None:
    firm = ctx.firms["north"]
    if Task.objects.filter(firm=firm).exists():
        return
    handler = ctx.users["handler"]
    mine = list(
        Complaint.objects.filter(
            firm=firm, owner=handler, status__in=Status.open_states()
        ).order_by("received_at")[: len(TASKS)]
    )
    for complaint, (set_ago, due_in, kind, note) in zip(mine, TASKS, strict=False):
        set_at = ctx.now - timedelta(days=set_ago)
        task_create(
            complaint,
            user=handler,
            kind=kind,
            due_on=london_date(ctx.now) + timedelta(days=due_in),
            note=note,
            now=set_at,
        )
    for complaint in mine[:2]:
        evidence_add(
            complaint,
            user=handler,
            kind="statement",
            title="Complainant's statement",
            content=_statement_pdf(complaint),
            file_name="statement.pdf",
            now=ctx.now,
        )
        evidence_add(
            complaint,
            user=handler,
            kind="screenshot",
            title="Screenshot of the stuck withdrawal",
            content=_screenshot_png(),
            file_name="withdrawal.png",
            now=ctx.now,
        )
        evidence_add(
            complaint,
            user=handler,
            kind="chain_explorer_link",
            title="The withdrawal on a block explorer",
            url=EXPLORER_URL,
            now=ctx.now,
        )
