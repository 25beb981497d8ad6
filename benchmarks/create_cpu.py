"""Where an API create (POST /api/complaints/) spends its CPU: this process's and its
PostgreSQL backend's per create, and each statement with its time.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/apicreate_bench \\
        .venv/bin/python benchmarks/create_cpu.py [--creates 60] [--rounds 3] \\
        [--broker redis://127.0.0.1:6379/15] [--statements] [--profile 30]

Run after benchmarks/api_throughput.py has seeded the database (its firm and handler). Creates
go through Django's test client with DEBUG off, each with an Idempotency-Key, as the
throughput benchmark sends them. The CPU of this process (``time.process_time``) and of the
connection's backend (``/proc/<pid>/stat``, same machine) are what a loaded machine leaves
steady where wall time is not; the median of ``--rounds`` rounds is printed per create.
``--statements`` lists a create's statements with their wall time and backend CPU (the mean
over ``--creates``); ``--profile N`` prints
cProfile's top functions over N creates.
"""

from __future__ import annotations

import argparse
import cProfile
import json
import os
import pstats
import statistics
import sys
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ["DJANGO_SETTINGS_MODULE"] = "benchmarks.bench_settings"
os.environ.setdefault("DEBUG", "false")


def _backend_cpu(connection) -> float:
    """CPU seconds used so far by this connection's PostgreSQL backend."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        pid = cursor.fetchone()[0]
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--creates", type=int, default=60)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--broker", default="", help="CELERY_BROKER_URL (none: eager)")
    parser.add_argument("--statements", action="store_true")
    parser.add_argument("--profile", type=int, default=0)
    args = parser.parse_args()
    os.environ["CELERY_BROKER_URL"] = args.broker

    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.test import Client
    from django.utils import timezone

    from common.tokens import api_token_issue
    from complaints.models import Firm

    firm = Firm.objects.get(frn="999001")
    user = get_user_model().objects.get(username="bench-handler")
    token = api_token_issue(user=user, name="create_cpu", actor=None, now=timezone.now())
    client = Client()
    headers = {"HTTP_AUTHORIZATION": f"Bearer {token.clear}", "HTTP_ACCEPT": "application/json"}
    tag = uuid.uuid4().hex[:8]
    count = 0

    def create() -> None:
        nonlocal count
        count += 1
        body = {
            "firm_id": firm.pk,
            "channel": "web_form",
            "activity": "staking",
            "description": f"Benchmark complaint {tag}-{count}",
            "alleged_financial_loss": True,
            "complainant": {"name": f"Load {tag}-{count}"},
        }
        response = client.post(
            "/api/complaints/",
            json.dumps(body),
            content_type="application/json",
            HTTP_IDEMPOTENCY_KEY=str(uuid.uuid4()),
            **headers,
        )
        assert response.status_code == 201, response.content

    for _ in range(10):
        create()
    if args.statements:
        # Each statement's wall time and its backend's CPU, summed over --creates creates.
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_backend_pid()")
            stat = Path(f"/proc/{cursor.fetchone()[0]}/stat")
        tick = os.sysconf("SC_CLK_TCK")
        totals: dict[int, list] = {}
        position = 0

        def server() -> float:
            fields = stat.read_text().rsplit(")", 1)[1].split()
            return (int(fields[11]) + int(fields[12])) / tick

        def timer(execute, sql, params, many, context):
            nonlocal position
            started, cpu = time.perf_counter(), server()
            try:
                return execute(sql, params, many, context)
            finally:
                entry = totals.setdefault(position, [0.0, 0.0, sql])
                entry[0] += time.perf_counter() - started
                entry[1] += server() - cpu
                position += 1

        with connection.execute_wrapper(timer):
            for _ in range(args.creates):
                position = 0
                create()
        for seconds, cpu, sql in totals.values():
            print(
                f"{seconds / args.creates * 1000:7.2f} ms {cpu / args.creates * 1000:7.2f} ms CPU"
                f"  {' '.join(sql.split())[:100]}"
            )
    if args.profile:
        profile = cProfile.Profile(time.process_time)  # CPU, not the waits
        profile.enable()
        for _ in range(args.profile):
            create()
        profile.disable()
        pstats.Stats(profile).sort_stats("cumulative").print_stats(45)
    python, backend = [], []
    for _ in range(args.rounds):
        cpu, server = time.process_time(), _backend_cpu(connection)
        for _ in range(args.creates):
            create()
        python.append((time.process_time() - cpu) / args.creates * 1000)
        backend.append((_backend_cpu(connection) - server) / args.creates * 1000)
    print(
        f"per create: Python {statistics.median(python):.2f} ms CPU "
        f"({', '.join(f'{v:.2f}' for v in python)}), PostgreSQL backend "
        f"{statistics.median(backend):.2f} ms CPU ({', '.join(f'{v:.2f}' for v in backend)}), "
        f"{args.creates} creates x {args.rounds}, load {os.getloadavg()[0]:.2f}",
        flush=True,
    )


if __name__ == "__main__":
    main()
