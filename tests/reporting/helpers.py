"""Builders for reporting tests: complaints driven through the services, snapshots from rows."""

from __future__ import annotations

import io
from datetime import date, datetime

from complaints import services
from complaints.choices import Outcome
from reporting.imports import HEADER, Source
from reporting.services import snapshot_import
from tests.factories import london, make_complaint


def csv_bytes(rows: list[tuple], header: tuple = HEADER) -> bytes:
    lines = [",".join(header)]
    lines += [",".join(str(v) for v in row) for row in rows]
    return ("\n".join(lines) + "\n").encode()


def bytes_source(data: bytes, name: str = "positions.csv") -> Source:
    fmt = "xlsx" if name.endswith(".xlsx") else "csv"
    return Source(name=name, format=fmt, open=lambda: io.BytesIO(data))


def position(
    client: str,
    arrangement: str,
    *,
    retail: bool = True,
    test: bool = False,
    vulnerable: bool = False,
    activity: str = "operating_catp",
    status: str = "open",
    balance: str = "100.00",
) -> tuple:
    return (
        client,
        "true" if retail else "false",
        "true" if test else "false",
        "yes" if vulnerable else "no",
        arrangement,
        activity,
        status,
        balance,
    )


def load_snapshot(firm, as_at: date, rows: list[tuple], *, actor=None, now: datetime | None = None):
    return snapshot_import(
        firm=firm,
        as_at=as_at,
        source=bytes_source(csv_bytes(rows)),
        actor=actor,
        now=now or london(2028, 7, 2, 9),
    ).snapshot


def uphold(complaint, at: datetime, outcome: str = Outcome.UPHELD):
    """Drive a complaint to a final response with ``outcome`` sent at ``at``."""
    services.complaint_acknowledge(complaint_id=complaint.pk, actor=None, now=at, sent_at=at)
    services.complaint_start_investigation(complaint_id=complaint.pk, actor=None, now=at)
    return services.complaint_send_final_response(
        complaint_id=complaint.pk,
        actor=None,
        now=at,
        outcome=outcome,
        sent_at=at,
        # A partly upheld response must give reasons for the part not upheld (DISP 1.4.1R(4)).
        summary="The fee was refunded; the price move itself was market risk.",
    )


__all__ = ["bytes_source", "csv_bytes", "load_snapshot", "london", "make_complaint", "position"]
