"""Demo data: a client position snapshot as at each firm's latest closed period end and a
computed return (approved for the first firm), through the same services as the UI.

Before the regime goes live the latest closed period is a trial period: the return is a
rehearsal, which is how a firm would use the product before 25 October 2027.
"""

from __future__ import annotations

import functools
import random

from common.dates import london_date
from complaints.choices import Activity
from complaints.models import Complainant
from demo.complaints import DemoContext
from reporting.imports import HEADER, Source
from reporting.models import Sup16Return
from reporting.selectors import firm_reporting_calendar
from reporting.services import return_approve, return_compute, snapshot_import


def _positions(firm, complainant_refs: list[str]) -> bytes:
    """A few hundred arrangements with every case the counting rules care about."""
    rng = random.Random(f"positions-{firm.frn}")
    activities = [a.activity for a in firm.activities.all() if a.activity in Activity.crypto()]
    rows = []
    linked = complainant_refs[:12]
    clients = [*linked, *(f"{firm.reference_prefix}-C{n:05d}" for n in range(1, 201))]
    for i, client in enumerate(clients):
        retail = rng.random() > 0.1
        vulnerable = retail and rng.random() < 0.08
        test = i % 67 == 0
        for j in range(rng.choice([1, 1, 1, 2, 3])):
            roll = rng.random()
            status = "open" if roll < 0.8 else ("pending_closure" if roll < 0.9 else "closed")
            balance = (
                "0"
                if rng.random() < 0.12 or status == "closed"
                else (f"{rng.uniform(5, 25_000):.2f}")
            )
            rows.append(
                [
                    client,
                    "true" if retail else "false",
                    "true" if test else "false",
                    "true" if vulnerable else "false",
                    f"{client}-A{j + 1}",
                    rng.choice(activities) if activities else "operating_catp",
                    status,
                    balance,
                ]
            )
    lines = [",".join(HEADER), *(",".join(r) for r in rows)]
    return ("\n".join(lines) + "\n").encode()


def load(ctx: DemoContext) -> None:
    import io

    preparer = ctx.users.get("reporting")
    approvers = {"north": ctx.users.get("supervisor"), "scot": ctx.users.get("scot.supervisor")}
    today = london_date(ctx.now)
    for key, firm in ctx.firms.items():
        period = firm_reporting_calendar(firm).latest_closed_period(today)
        # From the database, not ctx.complaints: a re-run must build the identical file (its
        # hash makes the import idempotent), whichever demo modules added complaints.
        refs = sorted(
            set(
                Complainant.objects.filter(firm=firm)
                .exclude(client_reference="")
                .values_list("client_reference", flat=True)
            )
        )
        data = _positions(firm, refs)
        snapshot_import(
            firm=firm,
            as_at=period.end,
            source=Source(
                name=f"positions-{firm.frn}-{period.end.isoformat()}.csv",
                format="csv",
                open=functools.partial(io.BytesIO, data),
            ),
            actor=preparer,
            now=ctx.now,
        )
        if Sup16Return.objects.filter(firm=firm, period_end=period.end).exists():
            continue
        version = return_compute(firm=firm, period_end=period.end, actor=preparer, now=ctx.now)
        if key == "north" and approvers.get(key) is not None:
            return_approve(
                return_id=version.sup16_return_id,
                version=version.number,
                actor=approvers[key],
                now=ctx.now,
            )
