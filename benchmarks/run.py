"""One entry point for the issue 18 benchmarks: build the data once, print product against raw.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/perf_bench \\
        .venv/bin/python benchmarks/run.py --count 100000,1000000 [--runs 20] [--only reads,watch]

For each size in ``--count`` (ascending: the larger extends the smaller's data), builds the data
once (``data.build``: COPY, skipped when the firm already holds that many complaints), then prints
one table (``table.Row``): product, raw in the same run, product/raw, the load average when the
figure was taken, the size. The parts (``--only``/``--skip``, comma-separated):

- ``reads``: queue "mine", "team", a broad and a selective team search, and the complaint page,
  through Django's test client in this process with DEBUG off (server time: middleware, queries,
  rendering; no network), median of ``--runs``; raw is the same SQL the product issued for that
  request (captured once, replayed on a cursor, fetched);
- ``watch``: the deadline watch's first sweep against its raw SQL (``watch.py``);
- ``api``: ``api_throughput.py`` under gunicorn against this database (its output parsed: each
  product phase beside its bare view's phase, in requests a second; ``--api-args`` passes
  options on, by default 2 sync workers, 16 connections and a Redis broker: ``API_ARGS``);
- ``register``: the complaints register import (``register_import.py``, preview and commit
  beside an executemany INSERT of the same rows) at ``--register`` sizes, in a database of its
  own (this one's name + ``_register``: its firms' complaints would be the watch's);
- ``reporting``: ``reporting_benchmark.py`` (the snapshot import and the return, first and
  recompute) in a database of its own (this one's name + ``_reporting``), its output parsed;
  ``--rows`` sets the snapshot's size.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shlex
import shutil
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

from data import FIRM_FRN  # noqa: E402
from table import Row, line, print_table  # noqa: E402


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


def _database(suffix: str) -> str:
    import ui_queue

    url = os.environ["DATABASE_URL"] + suffix
    ui_queue.ensure_database(url)
    return url


def _stream(args: list[str], env: dict):
    """Run a script, echoing its output; yields (line, load average when it was printed)."""
    with subprocess.Popen(args, env=env, stdout=subprocess.PIPE, text=True) as process:
        assert process.stdout is not None
        for text in process.stdout:
            print("    " + text, end="", flush=True)
            yield text.rstrip("\n"), os.getloadavg()[0]


PHASE = re.compile(
    r"^(?P<name>[a-z][\w -]*?)\s+(?P<n>\d+)(?: ok)? in\s+[\d.]+s\s+(?P<rps>[\d.]+) req/s"
)
# As the issue measures it and production runs it: 2 gunicorn sync workers, 16 connections (wrk
# when installed: apt-get install -y wrk), a Celery broker (Redis), so a create's after-commit
# announcement is published for a worker as in production, not run in the request as the demo
# (no broker) runs it. The worker's delivery is measured apart (docs/performance.md).
API_ARGS = "--workers 2 --clients 16 --broker redis://127.0.0.1:6379/15"
BARE = {"create": ("bare create", "bare-ins", "bare insert")}


def api_rows(size: str, extra: str) -> list[Row]:
    """api_throughput.py against this database: each product phase beside its bare view's."""
    script = str(ROOT / "benchmarks" / "api_throughput.py")
    env = {**os.environ, "BENCH_DATABASE_URL": os.environ["DATABASE_URL"]}
    phases: dict[str, tuple[float, float]] = {}
    for text, load in _stream([sys.executable, script, *shlex.split(extra)], env):
        if match := PHASE.match(text):
            phases[match["name"].strip()] = (float(match["rps"]), load)
    rows = []
    for name, (rps, load) in phases.items():
        if name.startswith("bare"):
            continue
        bare = next((phases[b] for b in BARE.get(name, (f"bare {name}",)) if b in phases), None)
        rows.append(
            Row(
                f"API {name} (gunicorn)",
                size,
                rps,
                bare[0] if bare else None,
                "req/s",
                load,
                "raw: its bare view" if bare else "no bare view in this phase",
            )
        )
    return rows


def reporting_rows(count: int, snapshot_rows: int) -> list[Row]:
    """reporting_benchmark.py in a database of its own; its table's rows."""
    script = str(ROOT / "benchmarks" / "reporting_benchmark.py")
    env = {**os.environ, "DATABASE_URL": _database("_reporting")}
    args = [sys.executable, script, "--complaints", str(count), "--rows", str(snapshot_rows)]
    rows = []
    for text, _ in _stream(args, env):
        cells = [c.strip() for c in text.strip().strip("|").split("|")]
        if len(cells) >= 5 and cells[1].endswith(" s") and cells[2].endswith(" s"):
            rows.append(
                Row(
                    cells[0],
                    f"{count:,} complaints",
                    float(cells[1][:-2]),
                    float(cells[2][:-2]),
                    "s",
                    float(cells[4]),
                    cells[5] if len(cells) > 5 else "",
                )
            )
    return rows


def register_rows(sizes: str) -> list[Row]:
    """register_import.py's rows, in a database of its own (run in a subprocess)."""
    script = str(ROOT / "benchmarks" / "register_import.py")
    env = {**os.environ, "DATABASE_URL": _database("_register")}
    rows = []
    for text, _ in _stream([sys.executable, script, "--rows", sizes], env):
        cells = [c.strip() for c in text.strip().strip("|").split("|")]
        if len(cells) == 6 and cells[1].endswith("/s)"):
            label, size = cells[0].split(", ", 1)
            rows.append(
                Row(
                    f"{label}: {size.split(': ')[1]}",
                    size.split(": ")[0],
                    float(cells[1].split(" s")[0]),
                    float(cells[3].split(" s")[0]),
                    "s",
                    float(cells[5]),
                    f"product's CPU {cells[2]}",
                )
            )
    return rows


def read_rows(size: str, runs: int, now) -> list[Row]:
    from django.contrib.auth import get_user_model
    from django.test import Client

    from common.tokens import api_token_issue
    from complaints.models import Complaint, Firm

    firm = Firm.objects.get(frn=FIRM_FRN)
    user = get_user_model().objects.get(username="bench1")
    sample = Complaint.objects.filter(firm=firm, owner=user).order_by("-received_at").first()
    assert sample is not None
    token = api_token_issue(user=user, name=f"bench {now:%H%M%S}", actor=None, now=now)
    api = {"HTTP_AUTHORIZATION": f"Bearer {token.clear}", "HTTP_ACCEPT": "application/json"}
    client = Client()
    client.force_login(user)
    reads = [
        ("Queue: mine", "/?tab=mine", {}, None),
        ("Queue: team", "/?tab=team", {}, None),
        ("Queue: team search, broad", "/?tab=team&q=delayed+by+16", {}, None),
        ("Queue: team search, name", "/?tab=team&q=Complainant+1234", {}, None),
        ("Complaint page", f"/complaints/{sample.pk}/", {}, None),
        (
            "API complaint detail (in process)",
            f"/api/complaints/{sample.pk}/",
            api,
            bare_detail(sample.pk),
        ),
        (
            "API complaint list, 20 (in process)",
            "/api/complaints/?page_size=20",
            api,
            bare_list(firm.pk),
        ),
    ]
    rows = []
    for label, path, headers, raw in reads:
        product, raw_ms, queries, load = product_and_raw(client, path, headers, runs, raw)
        note = f"{queries} queries" + (
            "; raw: its SQL replayed" if raw is None else "; raw: bare SELECT"
        )
        rows.append(Row(label, size, product, raw_ms, "ms", load, note))
        print(line(rows[-1]), flush=True)
    return rows


PARTS = ("reads", "watch", "api", "register", "reporting")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", default="100000", help="complaints, comma-separated sizes")
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument(
        "--only", default=",".join(PARTS), help="comma-separated: " + ",".join(PARTS)
    )
    parser.add_argument("--skip", default="", help="comma-separated parts to leave out")
    parser.add_argument(
        "--rows", type=int, default=500_000, help="client snapshot rows for the reporting part"
    )
    parser.add_argument("--register", default="10000", help="register import sizes: 10000,50000")
    parser.add_argument(
        "--api-args",
        default=API_ARGS + (" --driver wrk" if shutil.which("wrk") else ""),
        help="options for api_throughput.py (default: %(default)s)",
    )
    args = parser.parse_args()
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith("postgres") or "bench" not in url.rsplit("/", 1)[-1]:
        sys.exit("Set DATABASE_URL to a PostgreSQL database of its own whose name has 'bench'.")
    parts = [p for p in args.only.split(",") if p and p not in args.skip.split(",")]
    unknown = set(parts) - set(PARTS)
    if unknown:
        sys.exit(f"Unknown parts: {', '.join(sorted(unknown))}")

    import data
    import ui_queue

    ui_queue.ensure_database(url)
    import django

    django.setup()
    import watch
    from django.core.management import call_command
    from django.db import connection
    from django.utils import timezone

    from complaints.models import Complaint

    call_command("migrate", verbosity=0)
    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        version = cursor.fetchone()[0]
    rows: list[Row] = []
    for count in sorted(int(c) for c in args.count.split(",")):
        now = timezone.now()
        started = time.perf_counter()
        data.build(count, now)
        total = Complaint.objects.filter(firm__frn=FIRM_FRN).count()
        open_count = Complaint.objects.filter(firm__frn=FIRM_FRN).open().count()
        size = f"{total:,} complaints"
        print(
            f"\ndata ready in {time.perf_counter() - started:.0f} s (load "
            f"{os.getloadavg()[0]:.2f}); PostgreSQL {version}; {size} ({open_count:,} open); "
            f"{os.cpu_count()} CPUs\n",
            flush=True,
        )
        if "reads" in parts:
            rows += read_rows(size, args.runs, now)
        if "watch" in parts:
            rows += watch.measure(size, now)
            print(line(rows[-1]), flush=True)
        if "api" in parts:  # after the watch: its creates add complaints to the firm
            rows += api_rows(size, args.api_args)
        if "reporting" in parts:
            rows += reporting_rows(count, args.rows)
    if "register" in parts:  # sized by --register, once
        rows += register_rows(args.register)
    print(f"\n{timezone.now():%Y-%m-%d %H:%M} UTC, {os.cpu_count()} CPUs, PostgreSQL {version}\n")
    print_table(rows)


if __name__ == "__main__":
    main()
