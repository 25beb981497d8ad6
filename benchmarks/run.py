"""One entry point for the issue 18 benchmarks: build the data once, then print product against raw.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/perf_bench \\
        .venv/bin/python benchmarks/run.py [--count 100000] [--runs 20] [--other reporting,api]

Builds (once: skipped when the firm already holds ``--count`` complaints) a firm with ten
handlers in one team and ``--count`` complaints with history through ``ui_queue.load`` (deadlines
by the DISP clock, ``apply_deadlines``), VACUUM ANALYZEs, then times each read in this process
through Django's test client with DEBUG off (server time: middleware, queries, rendering; no
network) beside a raw figure in the same run, with the load average when the figure was taken:

- queue "mine", "team", a broad and a selective team search, and the complaint page: raw is the
  same SQL the product issued for that request (captured once, replayed on a cursor, fetched);
- API complaint detail: raw is a bare primary-key SELECT of the row rendered with json.dumps;
- API complaint list (page of 20): raw is a bare SELECT of the newest 20 of the firm, json.dumps.

``--register 10000,50000`` adds the complaints register import at those sizes
(``register_import.py``: preview and commit beside an executemany INSERT of the same rows).
``--other`` runs the existing scripts for the rows this one does not time, in their own
processes and databases: ``reporting`` (``reporting_benchmark.py``: the SUP 16.34 return and the
snapshot import, product against raw in the same run: the import against COPY + hash +
duplicate check, the return's first compute and recompute against the four figures by
hand-written SQL; ``--rows`` sets the snapshot's size; in a database of its own, this one's
name + ``_reporting``) and ``api`` (``api_throughput.py``: list/create throughput under
gunicorn).
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
os.environ.setdefault("DEBUG", "false")


def median_ms(fn, runs: int) -> float:
    for _ in range(3):  # warm caches, the connection and the calendar
        fn()
    samples = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - start) * 1000)
    return statistics.median(samples)


def product_and_raw(client, url: str, headers: dict, runs: int, raw=None):
    """(product ms, raw ms, queries, load average): raw defaults to replaying the product's SQL."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def product():
        response = client.get(url, **headers)
        assert response.status_code == 200, (url, response.status_code)

    product()
    with CaptureQueriesContext(connection) as ctx:
        product()
    statements = [q["sql"] for q in ctx.captured_queries]

    def replay():
        with connection.cursor() as cursor:
            for sql in statements:
                cursor.execute(sql)
                if cursor.description:
                    cursor.fetchall()

    product_ms = median_ms(product, runs)
    raw_ms = median_ms(raw or replay, runs)
    return product_ms, raw_ms, len(statements), os.getloadavg()[0]


def bare_detail(pk: int):
    from django.db import connection

    def run():
        with connection.cursor() as cursor:
            cursor.execute("SELECT * FROM complaints_complaint WHERE id = %s", [pk])
            names = [c.name for c in cursor.description]
            json.dumps(dict(zip(names, cursor.fetchone(), strict=True)), default=str)

    return run


def bare_list(firm_id: int):
    from django.db import connection

    def run():
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT * FROM complaints_complaint WHERE firm_id = %s "
                "ORDER BY received_at DESC, id DESC LIMIT 20",
                [firm_id],
            )
            names = [c.name for c in cursor.description]
            json.dumps([dict(zip(names, r, strict=True)) for r in cursor.fetchall()], default=str)

    return run


def run_other(name: str, count: int, rows: int) -> None:
    script = {"reporting": "reporting_benchmark.py", "api": "api_throughput.py"}[name]
    args = [sys.executable, str(ROOT / "benchmarks" / script)]
    env = dict(os.environ)
    if name == "reporting":
        # Its own throwaway database (it truncates returns and snapshots there).
        import ui_queue

        env["DATABASE_URL"] = env["DATABASE_URL"] + "_reporting"
        ui_queue.ensure_database(env["DATABASE_URL"])
        args += ["--complaints", str(count), "--rows", str(rows)]
    print(f"\n--- {script} ---", flush=True)
    subprocess.run(args, env=env, check=False)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--other", default="", help="comma-separated: reporting,api")
    parser.add_argument(
        "--rows", type=int, default=500_000, help="client snapshot rows for --other reporting"
    )
    parser.add_argument(
        "--only-other", action="store_true", help="skip the reads; run only the --other scripts"
    )
    parser.add_argument(
        "--register", default="", help="register import sizes, comma-separated: 10000,50000"
    )
    args = parser.parse_args()
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith("postgres") or "bench" not in url.rsplit("/", 1)[-1]:
        sys.exit("Set DATABASE_URL to a PostgreSQL database of its own whose name has 'bench'.")

    import ui_queue

    if args.only_other:
        for name in filter(None, args.other.split(",")):
            run_other(name.strip(), args.count, args.rows)
        return
    ui_queue.ensure_database(url)
    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.utils import timezone

    from common.tokens import api_token_issue
    from complaints.models import Complaint, Firm

    call_command("migrate", verbosity=0)
    now = timezone.now()
    started = time.perf_counter()
    ui_queue.load(args.count, now)
    print(f"data ready in {time.perf_counter() - started:.0f} s", flush=True)

    firm = Firm.objects.get(frn=ui_queue.FIRM_FRN)
    user = get_user_model().objects.get(username="bench1")
    sample = Complaint.objects.filter(firm=firm, owner=user).order_by("-received_at").first()
    assert sample is not None
    token = api_token_issue(user=user, name=f"bench {now:%H%M%S}", actor=None, now=now)
    api = {"HTTP_AUTHORIZATION": f"Bearer {token.clear}", "HTTP_ACCEPT": "application/json"}
    client = Client()
    client.force_login(user)

    total = Complaint.objects.filter(firm=firm).count()
    open_count = Complaint.objects.filter(firm=firm).open().count()
    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        version = cursor.fetchone()[0]
    print(
        f"\nPostgreSQL {version}; {total:,} complaints in the firm ({open_count:,} open); "
        f"{os.cpu_count()} CPUs; median of {args.runs} runs each, server time in process\n"
    )
    rows = [
        ("Queue: mine", "/?tab=mine", {}, None),
        ("Queue: team", "/?tab=team", {}, None),
        ("Queue: team search, broad", "/?tab=team&q=delayed+by+16", {}, None),
        ("Queue: team search, name", "/?tab=team&q=Complainant+1234", {}, None),
        ("Complaint page", f"/complaints/{sample.pk}/", {}, None),
        ("API complaint detail", f"/api/complaints/{sample.pk}/", api, bare_detail(sample.pk)),
        ("API complaint list, 20", "/api/complaints/?page_size=20", api, bare_list(firm.pk)),
    ]
    print(
        f"| {'Work':<26} | {'Product':>9} | {'Raw same run':>12} | {'Product/raw':>11} "
        f"| {'queries':>7} | {'load avg':>8} |"
    )
    print(f"|{'-' * 28}|{'-' * 11}|{'-' * 14}|{'-' * 13}|{'-' * 9}|{'-' * 10}|")
    for label, path, headers, raw in rows:
        product, raw_ms, queries, load = product_and_raw(client, path, headers, args.runs, raw)
        print(
            f"| {label:<26} | {product:>6.1f} ms | {raw_ms:>9.1f} ms | {product / raw_ms:>10.1f}× "
            f"| {queries:>7} | {load:>8.2f} |",
            flush=True,
        )
    if args.register:
        import register_import

        print()
        register_import.header()
        for size in args.register.split(","):
            register_import.print_rows(int(size))
    for name in filter(None, args.other.split(",")):
        run_other(name.strip(), args.count, args.rows)


if __name__ == "__main__":
    main()
