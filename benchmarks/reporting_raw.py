"""The raw work the reporting benchmark measures the product against, in the same run (issue 18).

The four SUP 16.34.6R figures by hand-written SQL, and a snapshot file COPYed as it is with its
hash and duplicate check; ``reporting_benchmark.py`` prints each beside the product.
"""

from __future__ import annotations

import hashlib
import os
import time
from datetime import date
from pathlib import Path

# --- the raw work each product figure is measured against (same run, same data) ---------------

RAW_COMPLAINTS = """
WITH up AS (
    SELECT DISTINCT id FROM complaints_historicalcomplaint
    WHERE firm_id = %(firm)s AND outcome = ANY(%(upheld)s)
      AND outcome_at >= %(lo)s AND outcome_at < %(hi)s
)
SELECT
    COUNT(*) FILTER (WHERE counted AND received_at >= %(lo)s AND received_at < %(hi)s),
    COUNT(*) FILTER (WHERE counted AND (
        (outcome = ANY(%(upheld)s) AND outcome_at >= %(lo)s AND outcome_at < %(hi)s)
        OR id IN (SELECT id FROM up)))
FROM (
    SELECT id, received_at, outcome, outcome_at,
           is_complaint AND activity = ANY(%(crypto)s) AND NOT activity = ANY(%(non_uk)s) AS counted
    FROM complaints_complaint
    WHERE firm_id = %(firm)s AND (
        (received_at >= %(lo)s AND received_at < %(hi)s)
        OR (outcome = ANY(%(upheld)s) AND outcome_at >= %(lo)s AND outcome_at < %(hi)s)
        OR id IN (SELECT id FROM up))
) c
"""

RAW_CLIENTS = """
WITH linked AS (
    SELECT c.client_reference FROM complaints_complainant c
    WHERE c.firm_id = %(firm)s AND c.client_reference <> '' AND (
        SELECT h.vulnerable_health OR h.vulnerable_life_events OR h.vulnerable_resilience
               OR h.vulnerable_capability
        FROM complaints_historicalcomplainant h
        WHERE h.id = c.id AND h.history_date < %(hi)s
        ORDER BY h.history_date DESC, h.history_id DESC LIMIT 1)
)
SELECT COUNT(*),
       COUNT(*) FILTER (WHERE retail AND (vulnerable OR client_id IN (SELECT * FROM linked)))
FROM (
    SELECT client_id,
           bool_or(status = 'open' AND NOT is_test AND activity = ANY(%(crypto)s)
                   AND balance_gbp > 0) AS active,
           bool_or(status = 'open' AND NOT is_test AND activity = ANY(%(crypto)s)
                   AND balance_gbp > 0 AND is_retail) AS retail,
           bool_or(vulnerable AND NOT is_test) AS vulnerable
    FROM reporting_clientpositionrow WHERE snapshot_id = %(snapshot)s GROUP BY client_id
) t WHERE active
"""


def raw_figures(
    firm, start: date, end: date, snapshot_id: int, *, jit: bool = True
) -> tuple[int, int, int, int]:
    """The four figures by hand-written SQL: one aggregate over the complaints (with the
    outcome history), one GROUP BY over the snapshot's rows. At the server's settings, or with
    ``jit=False`` without JIT compilation (as the product runs its compute), for the notes."""
    from django.db import connection, transaction

    from complaints.choices import Activity, Outcome
    from reporting.metrics import ComplaintScope, period_bounds

    lo, hi = period_bounds(start, end)
    scope = ComplaintScope.for_firm(firm)
    params = {
        "firm": firm.pk,
        "lo": lo,
        "hi": hi,
        "upheld": list(Outcome.counted_as_upheld()),
        "crypto": list(Activity.crypto()),
        "non_uk": list(scope.non_uk_activities),
        "snapshot": snapshot_id,
    }
    with transaction.atomic(), connection.cursor() as cursor:
        if not jit:
            cursor.execute("SET LOCAL jit = off")
        cursor.execute(RAW_COMPLAINTS, params)
        received, upheld = cursor.fetchone()
        cursor.execute(RAW_CLIENTS, params)
        active, vulnerable = cursor.fetchone()
    return received, upheld, active, vulnerable


def raw_import(path: Path) -> float:
    """COPY the file as it is into a (durable, WAL-logged, like the product's) table of the same
    columns and types with an index on the client, hashing the bytes as they go, then the
    duplicate check: seconds. The table is dropped at the end."""
    from django.db import connection, transaction

    started = time.perf_counter()
    digest = hashlib.sha256()
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            "CREATE TABLE raw_rows (client_id varchar(64), is_retail boolean, "
            "is_test boolean, vulnerable boolean, arrangement_id varchar(64), "
            "activity varchar(32), status varchar(16), balance_gbp numeric(24, 8)) "
            "; CREATE INDEX ON raw_rows (client_id)"
        )
        with (
            path.open("rb") as handle,
            cursor.cursor.copy("COPY raw_rows FROM STDIN WITH (FORMAT csv, HEADER true)") as copy,
        ):
            while chunk := handle.read(1 << 20):
                digest.update(chunk)
                copy.write(chunk)
        cursor.execute(
            "SELECT arrangement_id FROM raw_rows GROUP BY arrangement_id HAVING COUNT(*) > 1 "
            "LIMIT 200"
        )
        assert cursor.fetchall() == []
    elapsed = time.perf_counter() - started
    with connection.cursor() as cursor:
        cursor.execute("DROP TABLE raw_rows")
    return elapsed


def timed(fn) -> tuple[float, float, object]:
    """(seconds, load average when it ended, result)."""
    started = time.perf_counter()
    result = fn()
    return time.perf_counter() - started, os.getloadavg()[0], result


def row(label: str, product: float, raw: float, load: float, note: str = "") -> None:
    print(
        f"| {label:<36} | {product:>8.2f} s | {raw:>8.2f} s | {product / raw:>6.2f}× "
        f"| {load:>5.2f} | {note}",
        flush=True,
    )
