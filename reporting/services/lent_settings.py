"""PostgreSQL settings lent to a few bulk statements of a transaction, then handed back."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from django.db import connection


@contextmanager
def lent_settings(values: dict[str, str], *, work_mem_at_least: str = "") -> Iterator[None]:
    """Run the block with ``values`` set for the transaction (``set_config(..., true)``) and, if
    given, at least ``work_mem_at_least`` of ``work_mem`` (never lowered); then the transaction's
    own values again. Two statements; nothing at all elsewhere (SQLite)."""
    if connection.vendor != "postgresql":
        yield
        return
    names = [*(["work_mem"] if work_mem_at_least else []), *values]
    was = ", ".join(f"current_setting(%s) AS s{i}" for i in range(len(names)))
    setting = [
        "set_config('work_mem', CASE WHEN pg_size_bytes(s0) < pg_size_bytes(%s) "
        "THEN %s ELSE s0 END, true)"
    ][: bool(work_mem_at_least)]
    setting += ["set_config(%s, %s, true)"] * len(values)
    params = [*names, *[work_mem_at_least] * 2 * bool(work_mem_at_least)]
    for name, value in values.items():
        params += [name, value]
    with connection.cursor() as cursor:
        cursor.execute(
            f"WITH was AS MATERIALIZED (SELECT {was}) "
            f"SELECT {', '.join(f's{i}' for i in range(len(names)))}, {', '.join(setting)} "
            "FROM was",
            params,
        )
        own = cursor.fetchone()[: len(names)]
    yield
    # Not in a ``finally``: after an error the transaction is aborted, and rolling it back
    # undoes the settings anyway.
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT {', '.join(['set_config(%s, %s, true)'] * len(names))}",
            [v for pair in zip(names, own, strict=True) for v in pair],
        )
