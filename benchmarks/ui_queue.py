"""Time the work queue and a complaint page over a large PostgreSQL database.

Loads ``--count`` complaints (default 100,000) for one firm into the database named by
DATABASE_URL (use a database of its own: it is migrated and filled), built by COPY with
their history rows and deadlines by the DISP clock (``data.build``). Then requests the pages
through the Django test client and prints the median and 95th percentile.

    createdb -h 127.0.0.1 -U postgres ui_bench   # or let the script create it
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/ui_bench \\
        .venv/bin/python benchmarks/ui_queue.py --count 100000 --runs 40

Loading is skipped when the firm already has ``--count`` complaints, so timings can be re-run.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from datetime import datetime
from pathlib import Path
from urllib.parse import urlparse
from zoneinfo import ZoneInfo

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
# Debug mode keeps every SQL statement in memory and adds overhead that production does not have.
os.environ.setdefault("DEBUG", "false")

from data import FIRM_FRN  # noqa: E402

LONDON = ZoneInfo("Europe/London")


def ensure_database(url: str) -> None:
    import psycopg

    parsed = urlparse(url)
    name = parsed.path.lstrip("/")
    admin = parsed._replace(path="/postgres").geturl()
    with psycopg.connect(admin, autocommit=True) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
        if not exists:
            conn.execute(f'CREATE DATABASE "{name}"')
            print(f"created database {name}")


def load(count: int, now: datetime) -> None:
    """The firm, its handlers and ``count`` complaints, built by COPY (``data.build``)."""
    import data

    data.build(count, now)


def timed(client, url: str, runs: int) -> tuple[float, float, int]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    for _ in range(3):  # warm caches and the connection
        assert client.get(url).status_code == 200, url
    samples = []
    for _ in range(runs):
        start = time.perf_counter()
        response = client.get(url)
        samples.append((time.perf_counter() - start) * 1000)
        assert response.status_code == 200, url
    with CaptureQueriesContext(connection) as ctx:
        client.get(url)
    samples.sort()
    p95 = samples[max(0, int(round(0.95 * len(samples))) - 1)]
    return statistics.median(samples), p95, len(ctx.captured_queries)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=40)
    args = parser.parse_args()
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith("postgres"):
        sys.exit("Set DATABASE_URL to a PostgreSQL database of its own (it is migrated, filled).")
    ensure_database(url)

    import django

    django.setup()
    from django.core.management import call_command
    from django.test import Client
    from django.utils import timezone

    from complaints import services
    from complaints.models import Complaint, Firm

    call_command("migrate", verbosity=0)
    now = timezone.now()
    load(args.count, now)

    firm = Firm.objects.get(frn=FIRM_FRN)
    from django.contrib.auth import get_user_model

    user = get_user_model().objects.get(username="bench1")
    # A complaint with a real timeline: acted on through the services.
    sample = (
        Complaint.objects.filter(firm=firm, status="received", owner=user)
        .order_by("-received_at")
        .first()
    )
    if sample.notes.count() < 5:
        services.complaint_acknowledge(complaint_id=sample.pk, actor=user, now=now)
        for n in range(5):
            services.complaint_add_note(
                complaint_id=sample.pk, actor=user, now=now, body=f"Benchmark note {n}"
            )
        services.complaint_start_investigation(complaint_id=sample.pk, actor=user, now=now)

    client = Client()
    client.force_login(user)
    total = Complaint.objects.filter(firm=firm).count()
    open_count = Complaint.objects.filter(firm=firm).open().count()
    print(f"\n{total} complaints in the firm, {open_count} open; {args.runs} timed requests each")
    print(f"{'page':<44} {'median ms':>10} {'p95 ms':>8} {'queries':>8}")
    for label, url in (
        ("queue: my complaints", "/?tab=mine"),
        ("queue: team (all open in the firm)", "/?tab=team"),
        ("queue: team, page 20", "/?tab=team&page=20"),
        ("queue: team, overdue, vulnerable", "/?tab=team&window=overdue&vulnerable=on"),
        ("queue: team, search 'delayed by 16'", "/?tab=team&q=delayed+by+16"),
        ("complaint page", f"/complaints/{sample.pk}/"),
    ):
        median, p95, queries = timed(client, url, args.runs)
        print(f"{label:<44} {median:>10.1f} {p95:>8.1f} {queries:>8}")


if __name__ == "__main__":
    main()
