"""The deadline watch's first sweep against its raw SQL, same run (issue 18).

The product is ``notifications.services.deadline_watch_run`` (every deadline source, the
resolution of met deadlines, the once-only ledger, the notifications; e-mails not sent: the
outbox is a separate job) on a database where the due complaints have no notice yet. Raw is
the same work as one hand-written statement: the DISP deadline columns read in the sources'
branches (``UNION ALL``), the notices inserted ``ON CONFLICT DO NOTHING``, one notification per
recipient (the owner; the firm's supervisors for a miss or an unowned complaint). Both run in a
transaction that is rolled back, so every repetition is a first sweep; median of ``runs``.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/perf_bench \\
        .venv/bin/python benchmarks/run.py --count 100000 --only watch
"""

from __future__ import annotations

import os
import statistics
import time
import uuid
from datetime import datetime

from table import Row

RAW_SWEEP = """
WITH due AS (
    SELECT id, firm_id, reference, owner_id, final_response_due AS due,
           CASE WHEN regime = 'psd_emd' THEN 'psd_15' ELSE 'final_response' END AS kind
    FROM complaints_complaint
    WHERE firm_id = ANY(%(firms)s) AND is_complaint AND status = ANY(%(awaiting)s)
      AND final_response_due <= %(warn_by)s
    UNION ALL
    SELECT id, firm_id, reference, owner_id, expected_final_response_on, 'promised_final_response'
    FROM complaints_complaint
    WHERE firm_id = ANY(%(firms)s) AND is_complaint AND status = 'holding_response_sent'
      AND regime = 'standard' AND expected_final_response_on <= %(warn_by)s
    UNION ALL
    SELECT id, firm_id, reference, owner_id, extended_final_response_due, 'psd_35'
    FROM complaints_complaint
    WHERE firm_id = ANY(%(firms)s) AND is_complaint AND status = 'holding_response_sent'
      AND regime = 'psd_emd' AND extended_final_response_due <= %(warn_by)s
    UNION ALL
    SELECT id, firm_id, reference, owner_id, receipt_date, 'acknowledgement'
    FROM complaints_complaint
    WHERE firm_id = ANY(%(firms)s) AND is_complaint AND status = 'received'
      AND acknowledged_at IS NULL AND receipt_date <= %(acknowledge_by)s
    UNION ALL
    SELECT id, firm_id, reference, owner_id, src_deadline, 'src'
    FROM complaints_complaint
    WHERE firm_id = ANY(%(firms)s) AND is_complaint AND status = ANY(%(awaiting)s)
      AND src_deadline = %(today)s AND src_deadline_at > %(now)s
), notices AS (
    INSERT INTO notifications_notice
        (object_key, kind, level, source, firm_id, complaint_id, due_date, claim, created_at,
         resolution)
    SELECT 'complaint:' || id, kind, CASE WHEN due < %(today)s THEN 'breach' ELSE 'near' END,
           'disp', firm_id, id, due, %(claim)s, %(now)s, ''
    FROM due
    ON CONFLICT DO NOTHING
    RETURNING id, firm_id, complaint_id, kind, level, due_date
)
INSERT INTO notifications_notification
    (recipient_id, firm_id, complaint_id, notice_id, category, level, title, body, link,
     created_at, email_status, email_attempts)
SELECT u.id, n.firm_id, n.complaint_id, n.id, 'deadline', n.level,
       c.reference || ': ' || n.kind || ' due ' || n.due_date,
       n.kind || ' for ' || c.reference || ' due ' || n.due_date, '', %(now)s,
       CASE WHEN u.email <> '' THEN 'pending' ELSE 'none' END, 0
FROM notices n
JOIN complaints_complaint c ON c.id = n.complaint_id
JOIN auth_user u ON u.is_active AND (
    u.id = c.owner_id
    OR ((n.level = 'breach' OR c.owner_id IS NULL) AND u.id IN (
        SELECT m.user_id FROM complaints_membership m
        WHERE m.firm_id = n.firm_id AND m.role = 'supervisor')))
"""


def raw_sweep(now: datetime) -> int:
    """The raw statement; the notifications it wrote."""
    from django.db import connection

    from complaints.choices import Status
    from notifications.services import build_watch_context
    from notifications.sources.disp import AWAITING_RESPONSE, _latest_receipt_due_by

    ctx = build_watch_context(now=now)
    firm = next(iter(ctx.firms.values()))  # the benchmark's firms share one calendar
    params = {
        "firms": ctx.firm_ids,
        "awaiting": [str(s) for s in AWAITING_RESPONSE],
        "warn_by": ctx.warn_by(firm.pk),
        "acknowledge_by": _latest_receipt_due_by(
            ctx, firm.pk, firm.acknowledgement_target_business_days
        ),
        "today": ctx.today,
        "now": now,
        "claim": uuid.uuid4(),
        "received": Status.RECEIVED,
    }
    with connection.cursor() as cursor:
        cursor.execute(RAW_SWEEP, params)
        return cursor.rowcount


def product_sweep(now: datetime) -> int:
    """The product's sweep; the notifications it wrote."""
    from notifications.services import deadline_watch_run

    return deadline_watch_run(now=now, send_emails=False).notifications


def _first_sweep(sweep, now: datetime) -> tuple[float, int]:
    """(seconds, notifications) of ``sweep`` in a transaction rolled back afterwards."""
    from django.db import transaction

    with transaction.atomic():
        started = time.perf_counter()
        written = sweep(now)
        elapsed = time.perf_counter() - started
        transaction.set_rollback(True)
    return elapsed, written


def measure(size: str, now: datetime, runs: int = 3) -> list[Row]:
    from complaints.models import Complaint
    from notifications.models import Notice

    # Notices already issued (the API benchmark's creates) are skipped by both alike.
    issued = Notice.objects.count()
    _first_sweep(raw_sweep, now)  # warm the caches for both
    product, raw, loads = [], [], []
    written = (0, 0)
    for _ in range(runs):
        seconds, product_written = _first_sweep(product_sweep, now)
        product.append(seconds)
        seconds, raw_written = _first_sweep(raw_sweep, now)
        raw.append(seconds)
        loads.append(os.getloadavg()[0])
        written = (product_written, raw_written)
    total = Complaint.objects.count()
    return [
        Row(
            "Deadline watch, first sweep",
            size,
            statistics.median(product) * 1000,
            statistics.median(raw) * 1000,
            "ms",
            statistics.median(loads),
            f"notifications {written[0]:,} (raw {written[1]:,}) of {total:,} complaints "
            f"({issued:,} notices before); median of {runs}",
        )
    ]
