"""Where an API complaint detail and list request spends its CPU, each part timed alone.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/apiread_bench \\
        .venv/bin/python benchmarks/api_cpu.py [--runs 300] [--only "detail: whole,list: whole"]

Run after benchmarks/api_throughput.py has seeded the database (its firm and complaints). Times
each request and part in this process through Django's test client with DEBUG off, as the median
of ``--runs`` of this process's CPU time (``time.process_time``): on a shared machine that stays
steady where wall time and throughput follow whatever else runs. The product's whole request is
printed beside the bare view's (benchmarks/bench_urls.py), the same ratio api_throughput.py
measures in requests a second; both go round the same spread of the firm's complaints as the
throughput's detail phases (every status; the parts below time the newest). Beside it, the
PostgreSQL backend's CPU a run (its ``/proc/<pid>/stat`` over all the runs, when the server is
on this machine): planning and running the queries, which gunicorn's throughput pays too.
"""

from __future__ import annotations

import argparse
import itertools
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ["DJANGO_SETTINGS_MODULE"] = "benchmarks.bench_settings"
os.environ.setdefault("DEBUG", "false")
sys.path.insert(0, str(ROOT / "benchmarks"))

from api_throughput import DETAIL_SPREAD  # noqa: E402  (the same complaints as the throughput)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=300)
    parser.add_argument("--only", default="", help="comma-separated prefixes of the parts")
    args = parser.parse_args()

    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from django.test import Client
    from django.utils import timezone

    from common.tokens import api_token_issue
    from complaints import access, selectors
    from complaints.access import Perm
    from complaints.api.authentication import ApiTokenMembershipAuthentication
    from complaints.api.base import fetch_detail
    from complaints.api.complaints import ComplaintList
    from complaints.deadlines import calendar_for_firm
    from complaints.guards import available_actions
    from complaints.models import Complaint, Firm
    from complaints.serializers import (
        ComplaintDetailSerializer,
        ComplaintListSerializer,
        complaint_deadlines,
    )

    firm = Firm.objects.get(frn="999001")
    user = get_user_model().objects.get(username="bench-handler")
    now = timezone.now()
    pk = Complaint.objects.filter(firm=firm).order_by("-received_at", "-id")[0].pk
    ids = list(Complaint.objects.filter(firm=firm).order_by("pk").values_list("pk", flat=True))
    spread = itertools.cycle(ids[:: max(1, len(ids) // DETAIL_SPREAD)][:DETAIL_SPREAD])
    token = api_token_issue(user=user, name="api_cpu", actor=None, now=now)
    auth = f"Bearer {token.clear}"
    api = {"HTTP_AUTHORIZATION": auth, "HTTP_ACCEPT": "application/json"}
    client = Client()

    class Bearer:  # what the authenticator reads of a request
        headers = {"authorization": auth}

    def fetch():
        return fetch_detail(pk, now)

    def page():
        view = ComplaintList()
        view.request = type("R", (), {"user": user})()
        return list(view.get_queryset()[:20])

    def memberships():
        user.__dict__.pop("_memberships_cache", None)
        access.memberships(user)

    complaint, rows, context = fetch(), page(), {"now": now, "user": user}
    parts = {
        "detail: whole request": lambda: client.get(f"/api/complaints/{next(spread)}/", **api),
        "detail: bare view": lambda: client.get(f"/bench/detail/{next(spread)}/"),
        "auth: token, user and memberships (1 query)": lambda: (
            ApiTokenMembershipAuthentication().authenticate(Bearer())
        ),
        "access: memberships (1 query)": memberships,
        "detail: complaint fetch (1 query)": fetch,
        "detail: serializer, all of it": lambda: ComplaintDetailSerializer(
            complaint, context=context
        ).data,
        "detail: serializer fields (copies)": lambda: ComplaintDetailSerializer(
            complaint, context=context
        ).fields,
        "detail: forwarded parts (1 query)": lambda: list(selectors.forwarded_parts(complaint)),
        "detail: calendar (1 query)": lambda: calendar_for_firm(complaint.firm),
        "detail: deadlines with their words": lambda: complaint_deadlines(complaint, now),
        "detail: available actions": lambda: available_actions(complaint, now),
        "list: whole request": lambda: client.get("/api/complaints/?page_size=20", **api),
        "list: bare view": lambda: client.get(f"/bench/list/{firm.pk}/"),
        "list: bounded count (1 query)": lambda: access.complaints_for(user, Perm.VIEW_COMPLAINTS)
        .values("pk")[:10001]
        .count(),
        "list: page of 20 (1 query)": page,
        "list: serializer": lambda: ComplaintListSerializer(rows, many=True).data,
    }
    from django.db import connection

    def backend_cpu() -> float:
        """The PostgreSQL backend's CPU seconds so far (0 when not readable here)."""
        if connection.vendor != "postgresql":
            return 0.0
        connection.ensure_connection()
        try:
            with open(f"/proc/{connection.connection.info.backend_pid}/stat") as stat:
                fields = stat.read().rsplit(")", 1)[1].split()
        except OSError:
            return 0.0
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")

    only = [p for p in args.only.split(",") if p]
    for name, fn in parts.items():
        if only and not any(name.startswith(p) for p in only):
            continue
        for _ in range(5):
            fn()
        samples = []
        backend = backend_cpu()
        for _ in range(args.runs):
            started = time.process_time()
            fn()
            samples.append(time.process_time() - started)
        backend = (backend_cpu() - backend) / args.runs * 1000
        cpu = statistics.median(samples) * 1000
        load = os.getloadavg()[0]
        line = f"{name:<40} {cpu:7.2f} ms CPU  backend {backend:5.2f} ms  load {load:.2f}"
        print(line, flush=True)


if __name__ == "__main__":
    main()
