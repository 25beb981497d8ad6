"""SUP 16.34 reporting at scale: 1,000,000 complaints and a 5,000,000-row client snapshot.

    createdb -h 127.0.0.1 -U postgres reporting_bench
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/reporting_bench \
        .venv/bin/python benchmarks/reporting_benchmark.py [--complaints N] [--rows N]

Builds (in the database DATABASE_URL names, which must be a separate, throwaway one) a firm with
N complaints written by COPY with deadlines precomputed once per receipt date (a benchmark
shortcut, not a product path: no history rows), generates the snapshot CSV on disk, then prints
product against raw, same run, with the load average when each figure ended (issue 18):

- the real import (``snapshot_import``: one pass checking and COPYing, duplicate check, the
  snapshot's active clients) with the process's peak memory, against COPY of the same file into
  a table of the same columns and types with an index on the client, SHA-256 of its bytes and
  the duplicate check (median of three);
- the real return (``return_compute``, the quarter ending 31 March 2028, figures plus everything
  the drill-down needs) first and again (a recompute, with its changes), against the four
  figures by hand-written SQL (median of three), which must agree with the product's.
"""

from __future__ import annotations

import argparse
import csv
import os
import random
import resource
import statistics
import sys
import tempfile
import time
from datetime import date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import data
from reporting_raw import raw_figures, raw_import, row, timed

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
LONDON = ZoneInfo("Europe/London")
FRN = "999901"
PERIOD_END = date(2028, 3, 31)


def rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def build_firm():
    from complaints.choices import Activity
    from complaints.models import Firm, FirmActivity

    firm, _ = Firm.objects.get_or_create(
        frn=FRN,
        defaults={"name": "Benchmark Exchange Ltd", "reference_prefix": "BEN"},
    )
    for activity in (Activity.OPERATING_CATP, Activity.SAFEGUARDING, Activity.STAKING):
        FirmActivity.objects.get_or_create(firm=firm, activity=activity)
    return firm


def copy_rows(model, columns: list[str], rows) -> None:
    """COPY ``rows`` into the model's table; columns added to the model since this script was
    written (not null, with a default) get their defaults."""
    from psycopg.types.json import Jsonb

    extra = [
        f
        for f in model._meta.concrete_fields
        if f.column not in columns
        and not f.null
        and not f.primary_key
        and (f.has_default() or f.empty_strings_allowed)
    ]
    defaults = tuple(
        Jsonb(v) if isinstance(v := f.get_default(), dict | list) else v for f in extra
    )
    data.copy_rows(
        model._meta.db_table,
        [*columns, *(f.column for f in extra)],
        (row + defaults for row in rows),
    )


def build_complainants(firm, n: int) -> list[int]:
    from complaints.models import Complainant

    now = datetime.now(LONDON)
    cols = [
        "firm_id",
        "name",
        "email",
        "phone",
        "address",
        "client_reference",
        "complainant_type",
        "is_retail",
        "vulnerable_health",
        "vulnerable_life_events",
        "vulnerable_resilience",
        "vulnerable_capability",
        "vulnerability_note",
        "created_at",
    ]
    rng = random.Random(1)
    copy_rows(
        Complainant,
        cols,
        (
            (
                firm.pk,
                f"Person {i}",
                "",
                "",
                "",
                f"C{i * 10}",
                "consumer",
                True,
                rng.random() < 0.05,
                False,
                False,
                False,
                "",
                now,
            )
            for i in range(n)
        ),
    )
    return list(Complainant.objects.filter(firm=firm).values_list("pk", flat=True))


def build_complaints(firm, n: int, complainant_ids: list[int]) -> None:
    from psycopg.types.json import Jsonb

    from complaints.choices import Activity, Outcome
    from complaints.deadlines import apply_deadlines, calendar_for_firm
    from complaints.models import Complaint

    rng = random.Random(2)
    calendar = calendar_for_firm(firm)
    now = datetime.now(LONDON)
    template_cache: dict[date, Complaint] = {}

    def deadlines(day: date) -> Complaint:
        # Deadlines depend only on the receipt date here: compute each date once.
        if day not in template_cache:
            c = Complaint(
                firm=firm,
                received_at=datetime(day.year, day.month, day.day, 11, tzinfo=LONDON),
                regime="standard",
            )
            apply_deadlines(c, now=now, calendar=calendar)
            template_cache[day] = c
        return template_cache[day]

    cols = [
        "firm_id",
        "reference",
        "external_reference",
        "complainant_id",
        "received_at",
        "receipt_date",
        "channel",
        "received_via",
        "forwarded_from_firm",
        "relationship",
        "activity",
        "description",
        "expression_of_dissatisfaction",
        "alleged_financial_loss",
        "alleged_material_distress",
        "alleged_material_inconvenience",
        "is_complaint",
        "regime",
        "status",
        "version",
        "outcome",
        "outcome_at",
        "src_deadline",
        "src_deadline_at",
        "final_response_due",
        "fos_referral_open_from",
        "deadline_rules",
        "calendar_nation",
        "calendar_version",
        "deadlines_computed_at",
        "six_month_wording_included",
        "consents_to_waive_time_limits",
        "forwarded_to_firm",
        "forwarded_to_contact",
        "forward_part",
        "forward_reason",
        "legal_hold",
        "legal_hold_reason",
        "created_at",
        "updated_at",
    ]
    start = datetime(2027, 10, 25, 0, tzinfo=LONDON)
    span = (datetime(2028, 6, 30, tzinfo=LONDON) - start).total_seconds()
    activities = [Activity.OPERATING_CATP, Activity.SAFEGUARDING, Activity.STAKING]
    outcomes = [Outcome.UPHELD, Outcome.PARTIALLY_UPHELD, Outcome.GOODWILL, Outcome.NOT_UPHELD]

    def rows():
        for i in range(n):
            received = start + timedelta(seconds=rng.random() * span)
            day = received.astimezone(LONDON).date()
            d = deadlines(day)
            feedback = rng.random() < 0.08
            activity = Activity.OTHER if rng.random() < 0.03 else rng.choice(activities)
            decided = not feedback and rng.random() < 0.45
            outcome = rng.choice(outcomes) if decided else ""
            outcome_at = received + timedelta(days=rng.uniform(1, 56)) if decided else None
            status = "final_response_sent" if decided else "investigating"
            yield (
                firm.pk,
                f"BEN-{day.year}-{i:07d}",
                "",
                rng.choice(complainant_ids),
                received,
                day,
                "email",
                "direct",
                "",
                "customer",
                activity,
                "Benchmark complaint",
                True,
                not feedback,
                False,
                False,
                not feedback,
                "standard",
                status,
                1,
                outcome,
                outcome_at,
                d.src_deadline,
                d.src_deadline_at,
                d.final_response_due,
                d.fos_referral_open_from,
                Jsonb(d.deadline_rules),
                d.calendar_nation,
                d.calendar_version,
                now,
                decided,
                False,
                "",
                "",
                "",
                "",
                False,
                "",
                now,
                now,
            )

    copy_rows(Complaint, cols, rows())


def write_snapshot_csv(path: Path, rows: int) -> None:
    from reporting.imports import HEADER

    rng = random.Random(3)
    statuses = ["open"] * 8 + ["pending_closure", "closed"]
    with path.open("w", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(HEADER)
        client = 0
        written = 0
        while written < rows:
            arrangements = min(rng.choice((1, 1, 2, 3, 4)), rows - written)
            retail = rng.random() > 0.1
            test = rng.random() < 0.002
            vulnerable = rng.random() < 0.04
            for j in range(arrangements):
                status = rng.choice(statuses)
                balance = (
                    "0"
                    if status == "closed" or rng.random() < 0.1
                    else (f"{rng.uniform(1, 50_000):.2f}")
                )
                writer.writerow(
                    (
                        f"C{client}",
                        "true" if retail else "false",
                        "true" if test else "false",
                        "true" if vulnerable else "false",
                        f"C{client}-A{j}",
                        rng.choice(("operating_catp", "safeguarding", "staking")),
                        status,
                        balance,
                    )
                )
            written += arrangements
            client += 1


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--complaints", type=int, default=1_000_000)
    parser.add_argument("--rows", type=int, default=5_000_000)
    parser.add_argument("--complainants", type=int, default=200_000)
    parser.add_argument("--csv", help="Reuse (or keep) the snapshot CSV at this path")
    parser.add_argument(
        "--repeat", type=int, default=3, help="Rounds of each measurement (medians are shown)"
    )
    args = parser.parse_args()
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith("postgres") or "bench" not in url.rsplit("/", 1)[-1]:
        sys.exit("Set DATABASE_URL to a separate PostgreSQL database whose name has 'bench'.")

    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command

    # The product caps a file at 2,000,000 rows by default (docs/security.md "Uploads"); a firm
    # of this size raises REPORTING_SNAPSHOT_MAX_ROWS knowingly, as the benchmark does here.
    settings.REPORTING_SNAPSHOT_MAX_ROWS = max(
        getattr(settings, "REPORTING_SNAPSHOT_MAX_ROWS", 2_000_000), args.rows
    )
    from django.db import connection, transaction
    from django.urls import get_resolver
    from django.utils import timezone

    from complaints.models import Complaint
    from reporting.imports import Source
    from reporting.models import ReturnItem
    from reporting.services import return_compute, snapshot_import

    call_command("migrate", verbosity=0)
    firm = build_firm()
    print(f"PostgreSQL {connection.pg_version}, firm {firm.frn}")

    existing = Complaint.objects.filter(firm=firm).count()
    if existing < args.complaints:
        t = time.perf_counter()
        with transaction.atomic():
            ids = build_complainants(firm, args.complainants)
            build_complaints(firm, args.complaints - existing, ids)
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE complaints_complaint; ANALYZE complaints_complainant")
        print(f"built {args.complaints - existing:,} complaints in {time.perf_counter() - t:.1f} s")
    print(f"complaints in the database: {Complaint.objects.filter(firm=firm).count():,}")

    path = Path(args.csv) if args.csv else Path(tempfile.gettempdir()) / f"bench-{args.rows}.csv"
    if not path.exists():
        t = time.perf_counter()
        write_snapshot_csv(path, args.rows)
        print(
            f"wrote {path} ({path.stat().st_size / 1e6:.0f} MB) in {time.perf_counter() - t:.1f} s"
        )

    now = datetime(2028, 4, 10, 9, tzinfo=LONDON)
    print(
        f"\n| {'Work':<36} | {'Product':>10} | {'Raw':>10} | {'Ratio':>7} | {'Load':>5} | Notes"
        f"\n|{'-' * 38}|{'-' * 12}|{'-' * 12}|{'-' * 9}|{'-' * 7}|------"
    )
    before = rss_mb()
    pairs = []  # (product, raw, load) per round: raw first, then the product, same minute
    for _ in range(args.repeat):
        start_afresh(connection, "reporting_clientpositionsnapshot")
        raw_seconds = raw_import(path)
        seconds, load, result = timed(
            lambda: snapshot_import(
                firm=firm, as_at=PERIOD_END, source=Source.from_path(path), actor=None, now=now
            )
        )
        pairs.append((seconds, raw_seconds, load))
    rows = result.snapshot.row_count
    seconds, raw_seconds, load = medians(pairs)
    row(
        f"Snapshot import, {rows:,} rows",
        seconds,
        raw_seconds,
        load,
        f"median of {args.repeat}; {rows / seconds:,.0f} rows/s, {raw_seconds / seconds:.0%} of "
        f"raw's speed (rounds: {rounds(pairs)}); peak RSS {rss_mb():.0f} MB ({before:.0f} "
        "before); raw = COPY + SHA-256 + duplicate check",
    )
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE reporting_clientpositionrow; ANALYZE reporting_activeclient")

    # A server or worker process has its URLconf loaded before it serves anything; the first
    # compute's on-commit announcement reverses a URL (a link for the approvers), which loaded
    # it inside the first round's timing (1-13 s under load, every --repeat 1 run).
    assert get_resolver().namespace_dict

    def compute():
        return return_compute(firm=firm, period_end=PERIOD_END, actor=None, now=now)

    firsts, agains = [], []
    for _ in range(args.repeat):
        start_afresh(connection, "reporting_sup16return")
        first_s, first_load, first = timed(compute)
        again_s, again_load, again = timed(compute)
        firsts.append((first_s, first_load))
        agains.append((again_s, again_load, again_s / first_s))
    start = first.sup16_return.period_start
    snapshot_id = result.snapshot.pk
    samples = [timed(lambda: raw_figures(firm, start, PERIOD_END, snapshot_id)) for _ in range(3)]
    raw_s = statistics.median(t for t, _, _ in samples)
    unjitted = statistics.median(
        timed(lambda: raw_figures(firm, start, PERIOD_END, snapshot_id, jit=False))[0]
        for _ in range(3)
    )
    figures = samples[0][2]
    mine = (
        first.complaints_received,
        first.complaints_upheld_event,
        first.active_clients,
        first.vulnerable_active_retail_customers,
    )
    assert figures == mine, (figures, mine)
    items = ReturnItem.objects.filter(version=again).count()
    first_s, first_load = (statistics.median(v) for v in zip(*firsts, strict=True))
    again_s, again_load, again_ratio = (statistics.median(v) for v in zip(*agains, strict=True))
    row(
        "Return, first compute (v1)",
        first_s,
        raw_s,
        first_load,
        f"median of {args.repeat}; raw = the 4 figures by SQL (median of 3); "
        f"{first_s / unjitted:.2f}× raw without JIT ({unjitted:.2f} s), as the product runs",
    )
    row(
        "Return, recompute (v2, with changes)",
        again_s,
        raw_s,
        again_load,
        f"median of {args.repeat}; {again_ratio:.2f}× the first compute (median of the rounds' "
        f"ratios: {', '.join(f'{r:.2f}' for *_, r in agains)}); {items:,} items per version",
    )
    print(
        f"\nfigures: received {mine[0]:,}, upheld {mine[1]:,} (cohort "
        f"{first.complaints_upheld_cohort:,}), active clients {mine[2]:,}, vulnerable retail "
        f"{mine[3]:,}; {os.cpu_count()} CPUs, {timezone.now():%Y-%m-%d %H:%M} UTC"
    )


def start_afresh(connection, table: str) -> None:
    """A throwaway database: empty ``table`` and what hangs off it (returns, their versions
    and items; for snapshots, their rows and active clients too)."""
    tables = ["reporting_returnitem", "reporting_returnversion", "reporting_sup16return"]
    if table == "reporting_clientpositionsnapshot":
        tables += ["reporting_clientpositionrow", "reporting_activeclient", table]
    with connection.cursor() as cursor:
        cursor.execute(f"TRUNCATE {', '.join(tables)} CASCADE")


def medians(pairs: list[tuple[float, float, float]]) -> tuple[float, float, float]:
    return tuple(statistics.median(v) for v in zip(*pairs, strict=True))  # type: ignore[return-value]


def rounds(pairs: list[tuple[float, float, float]]) -> str:
    return ", ".join(f"{p:.1f}/{r:.1f} s" for p, r, _ in pairs)


if __name__ == "__main__":
    main()
