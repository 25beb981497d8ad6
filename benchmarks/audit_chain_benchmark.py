"""The audit chain's cost on bulk history writes (issue 15 item 6): 10,000 history rows in one
``bulk_create`` (what simple-history's bulk paths and the imports do), with the chain trigger and
with it disabled (the product before the chain), in one rolled-back transaction per run.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/chain_bench \\
        .venv/bin/python benchmarks/audit_chain_benchmark.py [--rows 10000] [--runs 3]

Two shapes: every row a different complaint (an import), and 100 rows per complaint.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")


class _Rollback(Exception):
    pass


def _timed(rows: int, per_object: int, chained: bool) -> float:
    from django.db import connection, transaction

    from complaints.models import Complaint
    from tests.factories import FirmFactory, london, make_complaint

    model = Complaint.history.model
    table = model._meta.db_table
    elapsed = 0.0
    try:
        with transaction.atomic():
            c = make_complaint(firm=FirmFactory(), received_at=london(2026, 4, 6, 10))
            template = model.objects.get(id=c.pk)
            values = {f.attname: getattr(template, f.attname) for f in model._meta.fields}
            values.pop("history_id")
            start_id = 10_000_000
            copies = [model(**{**values, "id": start_id + i // per_object}) for i in range(rows)]
            if not chained:
                with connection.cursor() as cursor:
                    cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
                    cursor.execute(f"ALTER TABLE {table} DISABLE TRIGGER audit_chain_insert")
            began = time.perf_counter()
            model.objects.bulk_create(copies, batch_size=rows)
            elapsed = time.perf_counter() - began
            raise _Rollback
    except _Rollback:
        pass
    return elapsed


def main() -> None:
    import django

    django.setup()
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    print(f"load average {os.getloadavg()[0]:.1f}")
    for per_object in (1, 100):
        for chained in (False, True):
            times = [_timed(args.rows, per_object, chained) for _ in range(args.runs)]
            print(
                f"{args.rows} rows, {per_object} per object, "
                f"{'chained' if chained else 'no chain'}: median {statistics.median(times):.2f} s"
            )


if __name__ == "__main__":
    main()
