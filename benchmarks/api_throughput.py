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
import tempfile
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


def _wrk_phase(
    name: str, port: int, clients: int, seconds: float, paths: list[str], headers: dict
) -> dict:
    """One phase driven by wrk (C, so the load generator takes little of the two CPUs), each
    connection going round ``paths`` (a Lua script of wrk's ``request`` hook)."""
    script = Path(tempfile.mkdtemp()) / "paths.lua"
    listed = ", ".join(json.dumps(p) for p in paths)
    script.write_text(
        f"local paths = {{{listed}}}\nlocal i = 0\n"
        "request = function()\n  i = i % #paths + 1\n  return wrk.format(nil, paths[i])\nend\n"
    )
    args = ["wrk", "-t2", f"-c{clients}", f"-d{seconds:.0f}s", "--latency", "-s", str(script)]
    for key, value in headers.items():
        args += ["-H", f"{key}: {value}"]
    out = subprocess.run(
        [*args, f"http://127.0.0.1:{port}{paths[0]}"], capture_output=True, text=True, check=True
    ).stdout
    fields = {}
    for line in out.splitlines():
        parts = line.split()
        if line.startswith("Requests/sec:"):
            fields["rps"] = float(parts[1])
        elif parts[:1] == ["50%"]:
            value = parts[1]
            scale = {"us": 0.001, "ms": 1.0, "s": 1000.0}
            unit = value.lstrip("0123456789.")
            fields["p50_ms"] = float(value[: -len(unit)]) * scale[unit]
        elif line.strip().startswith("Non-2xx or 3xx responses:"):
            fields["errors"] = int(parts[-1])
        elif "requests in" in line:
            fields["requests"] = int(parts[0])
    result = {"phase": name, "errors": 0, **fields}
    print(
        f"{name:<12} {result['requests']:>7} in {seconds:4.0f}s  {result['rps']:8.1f} req/s  "
        f"p50 {result['p50_ms']:.1f} ms  errors {result['errors']}",
        flush=True,
    )
    return result


def _compare(label: str, run, product: tuple, bare: tuple) -> dict:
    """The product and its bare view in the same run, each beside the load average (issue 18)."""
    bare_result = run(f"bare {label}", *bare)
    bare_load = os.getloadavg()[0]
    product_result = run(label, *product)
    product_load = os.getloadavg()[0]
    ratio = product_result["rps"] / bare_result["rps"] if bare_result["rps"] else 0.0
    print(
        f"  {label}: product {product_result['rps']:.1f} req/s (p50 "
        f"{product_result['p50_ms']:.1f} ms, load {product_load:.2f}) / bare "
        f"{bare_result['rps']:.1f} req/s (p50 {bare_result['p50_ms']:.1f} ms, load "
        f"{bare_load:.2f}) = {ratio:.0%} of the bare view's throughput",
        flush=True,
    )
    return {"label": label, "product": product_result, "bare": bare_result, "ratio": ratio}


# The detail phases read this many of the firm's complaints in turn, spread over its ids (every
# status, owned and not), as an integration reading its cases would: one complaint over and
# over would measure one status's body.
DETAIL_SPREAD = 300


def _read_phases(port: int, args, auth: dict, firm_id: int) -> None:
    """API complaint detail and list (page of 20), each beside its bare view in
    benchmarks/bench_urls.py: the row by primary key, the firm's newest 20 rows. The details
    go round ``DETAIL_SPREAD`` complaints, the same ones for the bare view."""
    import django

    django.setup()
    from complaints.models import Complaint

    ids = list(
        Complaint.objects.filter(firm_id=firm_id).order_by("pk").values_list("pk", flat=True)
    )
    pks = ids[:: max(1, len(ids) // DETAIL_SPREAD)][:DETAIL_SPREAD]
    if args.driver == "wrk":

        def run(name, paths, headers):
            return _wrk_phase(name, port, args.clients, args.seconds, paths, headers)

    else:

        def run(name, paths, headers):
            def request(index, n):
                return ("GET", paths[(index * 37 + n) % len(paths)], headers, None)

            return _phase(name, port, args.clients, args.seconds, request)

    details = [f"/api/complaints/{pk}/" for pk in pks]
    bare_details = [f"/bench/detail/{pk}/" for pk in pks]
    _compare("detail", run, (details, auth), (bare_details, {}))
    _compare(
        "list 20",
        run,
        (["/api/complaints/?page_size=20"], auth),
        ([f"/bench/list/{firm_id}/"], {}),
    )


def _bulk_load(count: int) -> None:
    """``count`` complaints for the seeded firm at once (benchmarks/ui_queue.py's loader, with
    history and deadlines by the DISP clock): seeding that many through the services would take
    hours."""
    import django

    django.setup()
    sys.path.insert(0, str(ROOT / "benchmarks"))
    import ui_queue
    from django.core.management import call_command
    from django.utils import timezone

    call_command("migrate", verbosity=0)
    ui_queue.load(count, timezone.now())


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--workers", type=int, default=4, help="gunicorn sync workers (2-4)")
    parser.add_argument("--clients", type=int, default=8, help="concurrent load threads")
    parser.add_argument("--seconds", type=float, default=10.0, help="duration of each phase")
    parser.add_argument("--seed", type=int, default=200, help="complaints in the database")
    parser.add_argument(
        "--load", type=int, default=0, help="bulk-load this many complaints first (ui_queue)"
    )
    parser.add_argument(
        "--phases",
        default="reads,list,create,mixed",
        help="comma-separated: reads,list,create,mixed",
    )
    parser.add_argument(
        "--driver",
        choices=["threads", "wrk"],
        default="threads",
        help="load generator for the reads phases (wrk: apt-get install -y wrk)",
    )
    parser.add_argument("--broker", default="", help="CELERY_BROKER_URL for gunicorn (none: eager)")
    args = parser.parse_args()

    url = os.environ.get("BENCH_DATABASE_URL", DEFAULT_DB)
    env = {
        **os.environ,
        "DATABASE_URL": url,
        # The product's settings with the bare views' URLs added (benchmarks/bench_urls.py).
        "DJANGO_SETTINGS_MODULE": "benchmarks.bench_settings",
        "DEBUG": "false",
        "LOG_LEVEL": "WARNING",
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "CELERY_BROKER_URL": args.broker,
    }
    os.environ.update(env)
    sys.path.insert(0, str(ROOT))
    _ensure_database(url)
    if args.load:
        _bulk_load(args.load)
    token, firm_id = _seed(args.seed)
    phases = set(args.phases.split(","))

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
        if "reads" in phases:
            _read_phases(port, args, auth, firm_id)
        if "list" in phases:
            _phase("list", port, args.clients, args.seconds, lambda i, n: listing)
        if "create" in phases:
            bare_insert = _phase(
                "bare-ins",
                port,
                args.clients,
                args.seconds,
                lambda i, n: _as_bare_insert(create(i, n)),
            )
            created = _phase("create", port, args.clients, args.seconds, create)
            print(
                f"create / bare INSERT: {created['rps'] / bare_insert['rps']:.1%} of its "
                f"throughput (goal >= 25%), p50 {created['p50_ms'] / bare_insert['p50_ms']:.1f}x",
                flush=True,
            )
        if "mixed" in phases:
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
