"""Sustained API throughput against gunicorn on PostgreSQL, driven from loopback.

    .venv/bin/python benchmarks/api_throughput.py [--workers 4] [--clients 8] [--seconds 10]

Creates (or reuses) the database in BENCH_DATABASE_URL (default
postgres://postgres@127.0.0.1:5432/complaints_bench), migrates it, seeds a firm, a handler, an
API token and --seed complaints through the services, starts gunicorn (sync workers) on
127.0.0.1 with benchmarks/bench_settings.py (the product's URLs plus bench_urls' bare views),
then runs timed phases with a thread pool of http.client clients: list (GET /api/complaints/),
create (POST /api/complaints/ with an Idempotency-Key) beside the bare INSERT view
(bare_create.py: the same JSON body, one INSERT, 201) with their ratio, and a 4:1 mix.
Prints requests/s, p50/p99 latency, error counts and the load average per phase.

``--broker redis://127.0.0.1:6379/15`` gives gunicorn a Celery broker, as production has (the
after-commit announcement is then published, not run in the request); without it Celery runs
tasks eagerly in the request (the demo's set-up). Nothing consumes the queue during the run.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import socket
import statistics
import subprocess
import sys
import threading
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DB = "postgres://postgres@127.0.0.1:5432/complaints_bench"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _ensure_database(url: str) -> None:
    import psycopg

    name = url.rsplit("/", 1)[1]
    admin = url.rsplit("/", 1)[0] + "/postgres"
    with psycopg.connect(admin, autocommit=True) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            conn.execute(f'CREATE DATABASE "{name}"')


def _seed(count: int) -> tuple[str, int]:
    """Migrate and seed through the services; returns (token, firm id)."""
    import django

    django.setup()
    from datetime import datetime, timedelta
    from zoneinfo import ZoneInfo

    from django.contrib.auth import get_user_model
    from django.core.management import call_command

    from common.tokens import api_token_issue
    from complaints import services
    from complaints.models import Complaint, Firm, Membership

    call_command("migrate", verbosity=0)
    firm, _ = Firm.objects.get_or_create(
        frn="999001", defaults={"name": "Bench Exchange Ltd", "reference_prefix": "BEN"}
    )
    user, _ = get_user_model().objects.get_or_create(username="bench-handler")
    Membership.objects.get_or_create(user=user, firm=firm, defaults={"role": "handler"})
    now = datetime.now(ZoneInfo("Europe/London"))
    for i in range(max(0, count - Complaint.objects.filter(firm=firm).count())):
        received = now - timedelta(days=i % 60, hours=i % 7)
        services.complaint_register(
            firm=firm,
            actor=user,
            now=now,
            received_at=received,
            channel="email",
            activity="operating_catp",
            description=f"Seeded complaint {i}",
            alleged_financial_loss=True,
            complainant=services.ComplainantData(name=f"Seed {i}"),
        )
    token = api_token_issue(user=user, name=f"bench {now:%H%M%S}", actor=None, now=now)
    return token.clear, firm.pk


def _request(port: int, method: str, path: str, headers: dict, body: bytes | None):
    # Sync gunicorn workers close the connection after each response: one connection each.
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        started = time.perf_counter()
        conn.request(method, path, body=body, headers=headers)
        response = conn.getresponse()
        response.read()
        return response.status, time.perf_counter() - started
    finally:
        conn.close()


def _as_bare_insert(request: tuple) -> tuple:
    """The create's request sent to the bare INSERT view (no token, no key: it checks neither)."""
    _method, _path, _headers, body = request
    return "POST", "/bench/complaints/insert/", {"Content-Type": "application/json"}, body


def _phase(name: str, port: int, clients: int, seconds: float, make_request) -> dict:
    latencies: list[float] = []
    errors: dict[int, int] = {}
    lock = threading.Lock()
    deadline = time.perf_counter() + seconds
    max_requests = 200_000  # a bound on the run whatever the machine

    def worker(index: int) -> None:
        n = 0
        while time.perf_counter() < deadline and len(latencies) < max_requests:
            status, elapsed = _request(port, *make_request(index, n))
            n += 1
            with lock:
                if 200 <= status < 300:
                    latencies.append(elapsed)
                else:
                    errors[status] = errors.get(status, 0) + 1

    started = time.perf_counter()
    with ThreadPoolExecutor(clients) as pool:
        list(pool.map(worker, range(clients)))
    wall = time.perf_counter() - started
    latencies.sort()
    result = {
        "phase": name,
        "requests": len(latencies),
        "rps": len(latencies) / wall,
        "p50_ms": statistics.median(latencies) * 1000 if latencies else None,
        "p99_ms": latencies[int(len(latencies) * 0.99) - 1] * 1000 if latencies else None,
        "errors": errors,
        "load": os.getloadavg()[0],
    }
    print(
        f"{name:<8} {result['requests']:>7} ok in {wall:5.1f}s  {result['rps']:8.1f} req/s  "
        f"p50 {result['p50_ms']:.1f} ms  p99 {result['p99_ms']:.1f} ms  errors {errors or 0}  "
        f"load {result['load']:.2f}",
        flush=True,
    )
    return result


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--workers", type=int, default=4, help="gunicorn sync workers (2-4)")
    parser.add_argument("--clients", type=int, default=8, help="concurrent load threads")
    parser.add_argument("--seconds", type=float, default=10.0, help="duration of each phase")
    parser.add_argument("--seed", type=int, default=200, help="complaints in the database")
    parser.add_argument("--broker", default="", help="CELERY_BROKER_URL for gunicorn (none: eager)")
    args = parser.parse_args()

    url = os.environ.get("BENCH_DATABASE_URL", DEFAULT_DB)
    env = {
        **os.environ,
        "DATABASE_URL": url,
        "DJANGO_SETTINGS_MODULE": "benchmarks.bench_settings",
        "DEBUG": "false",
        "LOG_LEVEL": "WARNING",
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "CELERY_BROKER_URL": args.broker,
    }
    os.environ.update(env)
    sys.path.insert(0, str(ROOT))
    _ensure_database(url)
    token, firm_id = _seed(args.seed)

    port = _free_port()
    gunicorn = subprocess.Popen(
        [
            str(ROOT / ".venv" / "bin" / "gunicorn"),
            "config.wsgi:application",
            "--workers",
            str(args.workers),
            "--worker-class",
            "sync",
            "--bind",
            f"127.0.0.1:{port}",
            "--log-level",
            "warning",
        ],
        cwd=ROOT,
        env=env,
    )
    try:
        for _ in range(100):
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
                break
            except OSError:
                time.sleep(0.1)
        else:
            print("gunicorn did not start", file=sys.stderr)
            return 1
        auth = {"Authorization": f"Bearer {token}", "Accept": "application/json"}
        listing = ("GET", "/api/complaints/?page_size=20", auth, None)

        def create(index: int, n: int):
            body = {
                "firm_id": firm_id,
                "channel": "web_form",
                "activity": "staking",
                "description": f"Benchmark complaint {index}-{n}",
                "alleged_financial_loss": True,
                "complainant": {"name": f"Load {index}-{n}"},
            }
            headers = {
                **auth,
                "Content-Type": "application/json",
                "Idempotency-Key": str(uuid.uuid4()),
            }
            return "POST", "/api/complaints/", headers, json.dumps(body).encode()

        # Warm up each worker (its connection, imports, the bare view's template row) a little.
        for n in range(2 * args.workers):
            _request(port, *listing)
            _request(port, *create(-1, n))
            _request(port, *_as_bare_insert(create(-1, n)))
        print(
            f"gunicorn {args.workers} sync workers, {args.clients} clients, "
            f"{args.seconds:.0f}s per phase, {os.cpu_count()} CPUs",
            flush=True,
        )
        _phase("list", port, args.clients, args.seconds, lambda i, n: listing)
        bare_insert = _phase(
            "bare-ins",
            port,
            args.clients,
            args.seconds,
            lambda i, n: _as_bare_insert(create(i, n)),
        )
        created = _phase("create", port, args.clients, args.seconds, create)
        print(
            f"create / bare INSERT: {created['rps'] / bare_insert['rps']:.1%} of its throughput "
            f"(goal >= 25%), p50 {created['p50_ms'] / bare_insert['p50_ms']:.1f}x",
            flush=True,
        )
        _phase(
            "mixed",
            port,
            args.clients,
            args.seconds,
            lambda i, n: create(i, n) if n % 5 == 0 else listing,
        )
    finally:
        gunicorn.terminate()
        gunicorn.wait(10)
    return 0


if __name__ == "__main__":
    sys.exit(main())
