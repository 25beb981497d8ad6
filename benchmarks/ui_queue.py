"""Time the work queue and a complaint page over a large PostgreSQL database.

Loads ``--count`` complaints (default 100,000) for one firm into the database named by
DATABASE_URL (use a database of its own: it is migrated and filled), with deadlines computed by
the DISP clock (``complaints.deadlines.apply_deadlines``) and history rows written by
``bulk_create_with_history``. Then requests the pages through the Django test client and prints
the median and 95th percentile.

    createdb -h 127.0.0.1 -U postgres ui_bench   # or let the script create it
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/ui_bench \\
        .venv/bin/python benchmarks/ui_queue.py --count 100000 --runs 40

Loading is skipped when the firm already has ``--count`` complaints, so timings can be re-run.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import time
from datetime import datetime, timedelta
from pathlib import Path
from urllib.parse import urlparse
from zoneinfo import ZoneInfo

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
# Debug mode keeps every SQL statement in memory and adds overhead that production does not have.
os.environ.setdefault("DEBUG", "false")

LONDON = ZoneInfo("Europe/London")
FIRM_FRN = "999001"


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
    from django.contrib.auth import get_user_model
    from simple_history.utils import bulk_create_with_history

    from complaints.choices import Activity, Channel, Outcome, Regime, Role, Status
    from complaints.deadlines import apply_deadlines, calendar_for_firm
    from complaints.models import Complainant, Complaint, Firm, Membership

    firm, _ = Firm.objects.get_or_create(
        frn=FIRM_FRN, defaults={"name": "Bench Exchange Ltd", "reference_prefix": "BEN"}
    )
    User = get_user_model()
    handlers = []
    for i in range(10):
        user, created = User.objects.get_or_create(
            username=f"bench{i}", defaults={"first_name": f"Handler{i}", "last_name": "Bench"}
        )
        if created:
            user.set_password("bench-password")
            user.save()
        Membership.objects.get_or_create(
            user=user, firm=firm, defaults={"role": Role.HANDLER, "team": "Complaints"}
        )
        handlers.append(user)

    existing = Complaint.objects.filter(firm=firm).count()
    if existing >= count:
        print(f"{existing} complaints already loaded")
        return
    rng = random.Random(2026)
    started = time.perf_counter()
    people = [
        Complainant(
            firm=firm,
            name=f"Complainant {i}",
            email=f"c{i}@example.test",
            client_reference=f"C{i:07d}",
            vulnerable_health=i % 20 == 0,
            vulnerable_capability=i % 33 == 0,
        )
        for i in range(count // 4)
    ]
    people = bulk_create_with_history(
        people, Complainant, batch_size=5000, default_change_reason="benchmark.load"
    )
    print(f"{len(people)} complainants in {time.perf_counter() - started:.1f}s")

    calendar = calendar_for_firm(firm)  # built once: deadlines never query per row
    activities = Activity.values
    open_states = [Status.RECEIVED, Status.ACKNOWLEDGED, Status.INVESTIGATING]
    done_states = [Status.CLOSED, Status.FINAL_RESPONSE_SENT, Status.RESOLVED_SUMMARY]
    batch: list[Complaint] = []
    written = 0
    started = time.perf_counter()
    for i in range(existing, count):
        received = now - timedelta(days=rng.uniform(0, 365), hours=rng.uniform(0, 8))
        recent = (now - received).days < 56
        status = rng.choice(open_states if recent or rng.random() < 0.1 else done_states)
        complaint = Complaint(
            firm=firm,
            reference=f"BEN-{received.year}-{i:06d}",
            complainant=people[i % len(people)],
            received_at=received,
            channel=Channel.EMAIL,
            activity=activities[i % len(activities)],
            description=f"Benchmark complaint {i}: withdrawal delayed by {i % 17} days.",
            alleged_financial_loss=True,
            regime=Regime.PSD_EMD if i % 10 == 0 else Regime.STANDARD,
            owner=handlers[i % len(handlers)] if i % 7 else None,
            status=status,
        )
        if status in done_states:
            sent = received + timedelta(days=rng.uniform(1, 50))
            complaint.outcome = rng.choice(Outcome.decisions())
            complaint.outcome_at = sent
            if status == Status.RESOLVED_SUMMARY:
                complaint.src_sent_at = sent
            else:
                complaint.final_response_sent_at = sent
            complaint.six_month_wording_included = True
        apply_deadlines(complaint, now=now, calendar=calendar)
        batch.append(complaint)
        if len(batch) == 5000:
            bulk_create_with_history(
                batch, Complaint, batch_size=5000, default_change_reason="benchmark.load"
            )
            written += len(batch)
            batch = []
            print(f"  {written} complaints ({time.perf_counter() - started:.0f}s)", flush=True)
    if batch:
        bulk_create_with_history(
            batch, Complaint, batch_size=5000, default_change_reason="benchmark.load"
        )
        written += len(batch)
    print(f"{written} complaints with history in {time.perf_counter() - started:.1f}s")
    from django.db import connection

    # What autovacuum would do soon after a bulk load: statistics, and the visibility map
    # that lets the queue's count use an index-only scan.
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")


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
