"""Time the complaints register import (issue 18): preview and commit of ``--rows`` complaints
through ``intake.services``, beside an executemany INSERT of the same complaint rows.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/register_bench \\
        .venv/bin/python benchmarks/register_import.py --rows 10000,50000

Each size gets a firm of its own (a fresh FRN) in the database named by DATABASE_URL (migrated,
created if missing). The register cycles through every status the import takes (received to
closed, the 8-week holding response, an SRC, a DISP 1.8 rejection, a forward, a withdrawal),
with dates a few hours to a few months apart. Timed: the preview (read the file, judge every
row) and the commit (read it again, judge every row again as of now, write it all); both run
as the upload jobs run them, without the job. Raw: the complaint rows the commit stored,
fetched, then written again by ``cursor.executemany`` of one INSERT into a temporary copy of the
complaints table with its indexes (``LIKE … INCLUDING ALL``), in one transaction.
``benchmarks/run.py --only register --register 10000,50000`` prints the same rows in its table.
"""

from __future__ import annotations

import argparse
import csv
import io
import os
import resource
import sys
import time
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
os.environ.setdefault("DEBUG", "false")

LONDON = ZoneInfo("Europe/London")
START = datetime(2026, 1, 5, 9, 0, tzinfo=LONDON)
FMT = "%Y-%m-%d %H:%M"
DATABASE_SECONDS: dict[int, float] = {}  # by size: the commit's time waiting on its queries
# by size: the CPU seconds the database server's process spent on the commit (None when the
# server is not on this machine): on a loaded machine, its own work whatever else ran
DATABASE_CPU: dict[int, float | None] = {}


def _server_cpu() -> float | None:
    """CPU seconds used so far by this connection's PostgreSQL backend (Linux, same machine)."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        pid = cursor.fetchone()[0]
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return None
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _row(i: int) -> dict[str, str]:
    received = START + timedelta(hours=i % 2400, minutes=i % 60)
    at = {
        name: (received + delta).strftime(FMT)
        for name, delta in (
            ("src", timedelta(hours=1)),
            ("ack", timedelta(days=1)),
            ("fwd", timedelta(days=1, hours=2)),
            ("wd", timedelta(days=5)),
            ("final", timedelta(days=30)),
            ("close", timedelta(days=31)),
            ("holding", timedelta(days=57)),
        )
    }
    row = {
        "firm_reference": f"REG-{i:07d}",
        "received_at": received.strftime(FMT),
        "channel": "email",
        "activity": "operating_catp",
        "description": f"Withdrawal {i} delayed for {i % 17 + 2} days.",
        "alleged_financial_loss": "yes",
        "complainant_name": f"Complainant {i}",
        "complainant_email": f"c{i}@example.test",
        "complainant_client_reference": f"CL{i:07d}",
    }
    decided = {"outcome": ("upheld", "partially_upheld", "not_upheld")[i % 3]}
    kind = i % 10
    if kind == 0:
        row["status"] = "received"
    elif kind == 1:
        row |= {"status": "acknowledged", "acknowledged_at": at["ack"]}
    elif kind == 2:
        row |= {"status": "investigating", "acknowledged_at": at["ack"]}
    elif kind == 3:
        row |= {"status": "holding_response_sent", "acknowledged_at": at["ack"]}
        row["holding_response_sent_at"] = at["holding"]
    elif kind == 4:
        row |= {"status": "resolved_summary", "src_sent_at": at["src"], **decided}
    elif kind in (5, 6):
        row |= {"status": "final_response_sent", "acknowledged_at": at["ack"], **decided}
        row["final_response_sent_at"] = at["final"]
    elif kind == 7:
        row |= {"status": "forwarded", "forwarded_at": at["fwd"], "forward_reason": "Custodian."}
        row |= {"forwarded_to_firm": "Custody Ltd", "forwarded_to_contact": "c@custody.example"}
    elif kind == 8:
        row |= {"status": "withdrawn", "withdrawn_at": at["wd"]}
    else:
        row |= {"status": "closed", "acknowledged_at": at["ack"], **decided}
        row |= {"final_response_sent_at": at["final"], "closed_at": at["close"]}
    return row


def register_csv(count: int) -> bytes:
    from intake.columns import COLUMN_NAMES

    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=COLUMN_NAMES)
    writer.writeheader()
    for i in range(count):
        writer.writerow(_row(i))
    return buffer.getvalue().encode()


def _raw_insert(firm_id: int) -> float:
    """Seconds for an executemany INSERT of the firm's complaint rows, as stored."""
    from django.db import connection, transaction

    with connection.cursor() as cursor:
        cursor.execute("SELECT * FROM complaints_complaint WHERE firm_id = %s", [firm_id])
        names = [c.name for c in cursor.description]
        rows = cursor.fetchall()
    jsonb = names.index("deadline_rules")
    from psycopg.types.json import Jsonb

    rows = [(*r[:jsonb], Jsonb(r[jsonb]), *r[jsonb + 1 :]) for r in rows]
    columns = ", ".join(f'"{n}"' for n in names)
    values = ", ".join(["%s"] * len(names))
    with connection.cursor() as cursor:
        cursor.execute("DROP TABLE IF EXISTS bench_raw_complaints")
        cursor.execute(
            "CREATE TEMP TABLE bench_raw_complaints (LIKE complaints_complaint INCLUDING ALL)"
        )
    started = time.perf_counter()
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.executemany(f"INSERT INTO bench_raw_complaints ({columns}) VALUES ({values})", rows)
    elapsed = time.perf_counter() - started
    with connection.cursor() as cursor:
        cursor.execute("DROP TABLE bench_raw_complaints")
    return elapsed


def measure(count: int) -> list[tuple[str, float, float, float, float]]:
    """[(label, product seconds, its Python process's CPU seconds, raw seconds, load average)]
    for the preview, the commit and both, each beside the same raw INSERT. On a shared machine
    the CPU seconds say what the product's own Python cost, whatever else ran."""
    from celery import current_app
    from django.conf import settings
    from django.db import connection
    from django.utils import timezone

    from complaints.models import Complaint, Firm
    from intake.services import import_commit, import_preview

    # The commit announces each complaint to the deadline watch through the outbox and
    # publishes one sweep on commit. With a broker a worker runs it later; without one Celery
    # would run it eagerly inside the timed commit. An in-memory broker takes the publish.
    current_app.conf.update(task_always_eager=False, broker_url="memory://")
    settings.INTAKE_IMPORT_MAX_ROWS = count
    settings.INTAKE_IMPORT_MAX_BYTES = 1 << 30
    content = register_csv(count)
    stamp = f"{time.time_ns() % 10**9:09d}"
    firm = Firm.objects.create(
        frn=stamp[-7:], name=f"Register bench {stamp}", reference_prefix="R" + stamp[-5:]
    )
    now = timezone.now()
    cpu, started = time.process_time(), time.perf_counter()
    batch = import_preview(firm=firm, actor=None, now=now, filename="r.csv", content=content)
    cpu_preview, previewed = time.process_time() - cpu, time.perf_counter()
    load_preview = os.getloadavg()[0]
    assert batch.rows_error == 0, [r for r in batch.results if r["outcome"] == "error"][:3]
    cpu, server = time.process_time(), _server_cpu()
    in_database = [0.0]

    def timed(execute, sql, params, many, context):  # type: ignore[no-untyped-def]
        started = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            in_database[0] += time.perf_counter() - started

    with connection.execute_wrapper(timed):
        batch = import_commit(batch_id=batch.pk, actor=None, now=now, all_or_nothing=True)
    cpu_commit, committed = time.process_time() - cpu, time.perf_counter()
    DATABASE_SECONDS[count] = in_database[0]
    after = _server_cpu()
    DATABASE_CPU[count] = None if server is None or after is None else after - server
    load_commit = os.getloadavg()[0]
    assert Complaint.objects.filter(firm=firm).count() == count
    raw = _raw_insert(firm.pk)
    load_raw = os.getloadavg()[0]
    preview_s, commit_s = previewed - started, committed - previewed
    size = f"{count:,} rows"
    return [
        (f"Register import, {size}: preview", preview_s, cpu_preview, raw, load_preview),
        (f"Register import, {size}: commit", commit_s, cpu_commit, raw, load_commit),
        (
            f"Register import, {size}: both",
            preview_s + commit_s,
            cpu_preview + cpu_commit,
            raw,
            load_raw,
        ),
    ]


def print_rows(count: int) -> None:
    for label, product, cpu, raw, load in measure(count):
        print(
            f"| {label:<40} | {product:>7.2f} s ({count / product:>7,.0f}/s) | {cpu:>6.2f} s "
            f"| {raw:>6.2f} s ({count / raw:>7,.0f}/s) | {product / raw:>6.1f}× | {load:>5.2f} |",
            flush=True,
        )
    # The process's peak so far (Linux: kilobytes): run one size a process to read each alone.
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(
        f"  commit: {DATABASE_SECONDS[count]:.2f} s of it waiting on its queries (the INSERTs, "
        f"their triggers and indexes); peak resident memory of the process so far: {peak:,.0f} MB",
        flush=True,
    )
    if DATABASE_CPU[count] is not None:
        print(f"  commit: the database server's CPU {DATABASE_CPU[count]:.2f} s", flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", default="10000,50000", help="comma-separated sizes")
    args = parser.parse_args()
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith("postgres") or "bench" not in url.rsplit("/", 1)[-1]:
        sys.exit("Set DATABASE_URL to a PostgreSQL database of its own whose name has 'bench'.")
    import ui_queue

    ui_queue.ensure_database(url)
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    header()
    for size in args.rows.split(","):
        print_rows(int(size))


def header() -> None:
    print(
        f"| {'Work':<40} | {'Product':>23} | {'its CPU':>8} | {'executemany INSERT':>21} "
        "| ratio | load |"
    )
    print(f"|{'-' * 42}|{'-' * 25}|{'-' * 10}|{'-' * 23}|{'-' * 8}|{'-' * 7}|")


if __name__ == "__main__":
    main()
