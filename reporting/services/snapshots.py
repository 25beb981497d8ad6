"""Import a firm's client position snapshot (SUP 16.34.6R(3)-(4) figures come from it), or
record its nil declaration when it had no client arrangements at all.

All or nothing, in one transaction, recorded in history with the use case as the change reason
and the actor as the history user.
"""

from __future__ import annotations

import time as _time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime
from typing import TYPE_CHECKING, Protocol

from django.core.files.base import ContentFile
from django.db import connection, transaction
from django.db.models import Count, Max
from django.db.models.functions import Collate

from common.audit import history_user, record_creation, save_audited
from common.dates import london_date, uk_date
from common.errors import ValidationFailed
from common.locking import lock_row
from common.spreadsheets import SpreadsheetError
from complaints.access import Perm
from complaints.models import Firm

from .. import imports, metrics
from ..errors import ErrorCode
from ..models import ActiveClient, ClientPositionRow, ClientPositionSnapshot, ImportRejection
from ..selectors import firm_reporting_calendar
from . import snapshot_copy, snapshot_rows
from .permissions import require_firm_perm

if TYPE_CHECKING:
    from django.contrib.auth.models import User

BULK_BATCH = 5_000


class JobHooks(Protocol):
    """What an upload job lends the import (``reporting.tasks``)."""

    def progress(self, done: int, *, total: int | None = None, stage: str = "") -> None: ...

    def succeed(self, snapshot: ClientPositionSnapshot, *, created: bool) -> None: ...


class ImportRejected(ValidationFailed):
    """The file failed validation; ``rejection`` holds every error (nothing was imported)."""

    def __init__(self, rejection: ImportRejection, message: str) -> None:
        first = rejection.errors_shown[:20]
        super().__init__(
            ErrorCode.IMPORT_REJECTED,
            message,
            fields={f"row {e['row']}.{e['column']}": [e["message"]] for e in first},
            extra={
                "rejection_id": rejection.pk,
                "error_count": rejection.error_count,
                "errors": rejection.errors_shown,
            },
        )
        self.rejection = rejection


@dataclass(frozen=True)
class ImportResult:
    snapshot: ClientPositionSnapshot
    created: bool  # False when the same file was already loaded for that firm and date


def _reject(
    *,
    firm: Firm,
    as_at: date,
    source: imports.Source,
    report: imports.ValidationReport,
    actor: User | None,
    now: datetime,
    found: str,
) -> ImportRejected:
    """Record the rejected file with all its errors; the error to raise says what was
    ``found`` and the first error."""
    rejection = ImportRejection(
        firm=firm,
        as_at=as_at,
        file_name=source.name[:255],
        file_sha256=report.sha256,
        rows_read=report.rows,
        error_count=report.error_count,
        errors_shown=[e.as_dict() for e in report.shown],
        rejected_by=history_user(actor),
        rejected_at=now,
    )
    rejection.errors_file.save(
        f"{firm.frn}-{as_at.isoformat()}-{report.sha256[:12]}.csv",
        ContentFile(report.errors_csv()),
        save=False,
    )
    save_audited(rejection, actor=actor, reason="snapshot.import_rejected")
    return ImportRejected(
        rejection, f"{source.name}: {found}; nothing was imported. First: {report.shown[0]}"
    )


def _load_rows(rows: Iterator[imports.CheckedRow], snapshot_id: int, table: str) -> None:
    """Write the rows as the one pass yields them into ``table``: COPY on PostgreSQL (psycopg 3
    streams the CSV text a batch at a time, never the whole file), batched inserts elsewhere
    (SQLite)."""
    if connection.vendor == "postgresql":
        columns = ", ".join(imports.COPY_COLUMNS)
        with (
            connection.cursor() as cursor,
            cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN WITH (FORMAT csv)") as copy,
        ):
            for block in imports.copy_csv(rows, snapshot_id):
                copy.write(block)
        return
    batch: list[ClientPositionRow] = []
    for (
        number,
        client_id,
        arrangement_id,
        retail,
        test,
        vulnerable,
        activity,
        status,
        balance,
    ) in rows:
        batch.append(
            ClientPositionRow(
                snapshot_id=snapshot_id,
                row_number=number,
                client_id=client_id,
                arrangement_id=arrangement_id,
                is_retail=retail,
                is_test=test,
                vulnerable=vulnerable,
                activity=activity,
                status=status,
                balance_gbp=balance,
            )
        )
        if len(batch) == BULK_BATCH:
            # Rows carry no history by design (see models); the snapshot header does.
            ClientPositionRow.objects.bulk_create(batch)
            batch.clear()
    if batch:
        ClientPositionRow.objects.bulk_create(batch)


def _duplicate_arrangements(
    snapshot_id: int, limit: int = imports.ERRORS_SHOWN
) -> list[imports.RowError]:
    """Arrangements listed more than once: checked by the database after loading, so the
    importer never holds millions of IDs in memory. The whole load is rolled back if any."""
    rows = ClientPositionRow.objects.filter(snapshot_id=snapshot_id).order_by()
    if connection.vendor == "postgresql" and not (
        # Whether there is any, first, grouped by the IDs' bytes (``COLLATE "C"``): PostgreSQL
        # sorts them comparing bytes, not through the database's collation (1.0 s against 1.8 s
        # at 500,000 rows, load 7). Equal IDs are equal bytes in every deterministic collation,
        # so the answer is the same; only a file that has some pays the query below, whose
        # first ``limit`` in the database's order are the errors shown, as before.
        rows.values(key=Collate("arrangement_id", "C"))
        .annotate(n=Count("*"))
        .filter(n__gt=1)
        .exists()
    ):
        return []
    dups = list(
        rows.values("arrangement_id")
        .annotate(n=Count("pk"), first=Max("row_number"))
        .filter(n__gt=1)
        .values_list("arrangement_id", flat=True)[:limit]
    )
    if not dups:
        return []
    errors: list[imports.RowError] = []
    seen: dict[str, int] = {}
    for arrangement, row in (
        rows.filter(arrangement_id__in=dups)
        .order_by("arrangement_id", "row_number")
        .values_list("arrangement_id", "row_number")
    ):
        if arrangement in seen:
            errors.append(
                imports.RowError(
                    row,
                    "arrangement_id",
                    arrangement,
                    f"Duplicate: the same arrangement is on row {seen[arrangement]}.",
                )
            )
        else:
            seen[arrangement] = row
    return sorted(errors, key=lambda e: e.row)


def require_reference_date(firm: Firm, as_at: date) -> None:
    cal = firm_reporting_calendar(firm)
    if not cal.is_reference_date(as_at):
        message = (
            f"{as_at.isoformat()} is not one of the firm's reporting reference dates "
            f"(nearest: {cal.nearest_reference_dates(as_at)}); a snapshot is as at a period end."
        )
        raise ValidationFailed(ErrorCode.NOT_A_REFERENCE_DATE, message, fields={"as_at": [message]})


def nil_statement(firm: Firm, as_at: date) -> str:
    """The words of a nil declaration, stored as they were declared."""
    return (
        f"{firm.name} had no client with a qualifying cryptoasset activity arrangement as at "
        f"the end of {uk_date(as_at)}, so SUP 16.34.6R(3) and (4) are nil for the period."
    )


def snapshot_declare_nil(
    *,
    firm: Firm,
    as_at: date,
    confirm: bool,
    actor: User | None,
    now: datetime,
    note: str = "",
) -> ImportResult:
    """Record the firm's nil declaration as at a period end: no client arrangements at all, so
    metrics 3 and 4 (SUP 16.34.6R(3)-(4)) are 0 and the return can be approved and submitted.

    An explicit statement, not an empty or made-up file: it needs ``confirm``, is made only once
    the period has ended, names who declared it and when, and is audited
    (``snapshot.declare_nil``). Like a loaded file it is the snapshot later computations use
    until a newer one is loaded; declaring again while it is the latest changes nothing.
    SUP 16.34 says nothing of nil returns (disp-rules A8); the FCA's complaints return has an
    explicit nil return declaration (DISP 1 Annex 1R, question 2), which this follows.
    """
    require_firm_perm(actor, firm, Perm.PREPARE_RETURNS)
    require_reference_date(firm, as_at)
    errors: dict[str, list[str]] = {}
    if as_at >= london_date(now):
        errors["as_at"] = ["The period has not ended yet: declare once it has."]
    if confirm is not True:
        errors["confirm"] = ["Confirm that the firm had no client arrangements at that date."]
    if len(note) > 1000:
        errors["note"] = ["At most 1,000 characters."]
    ValidationFailed.check(ErrorCode.VALIDATION, "The nil declaration was not recorded", errors)
    with transaction.atomic():
        lock_row(Firm.objects.all(), firm.pk, code=ErrorCode.NOT_FOUND, message="No such firm.")
        latest = (
            ClientPositionSnapshot.objects.filter(firm=firm, as_at=as_at)
            .order_by("-loaded_at", "-id")
            .first()
        )
        if latest is not None and latest.is_nil:
            return ImportResult(latest, created=False)
        statement = nil_statement(firm, as_at)
        snapshot = ClientPositionSnapshot(
            firm=firm,
            as_at=as_at,
            is_nil=True,
            nil_statement=f"{statement} {note.strip()}".strip(),
            file_sha256="",
            file_size=0,
            row_count=0,
            loaded_by=history_user(actor),
            loaded_at=now,
        )
        save_audited(snapshot, actor=actor, reason="snapshot.declare_nil")
    return ImportResult(snapshot, created=True)


class _RollBack(Exception):
    """Undo the load: the file was refused, or it is one already loaded (``existing``)."""

    def __init__(
        self, existing: ClientPositionSnapshot | None = None, *, duplicates: bool = False
    ) -> None:
        self.existing, self.duplicates = existing, duplicates


def snapshot_import(
    *,
    firm: Firm,
    as_at: date,
    source: imports.Source,
    actor: User | None,
    now: datetime,
    job: JobHooks | None = None,
) -> ImportResult:
    """Import a client position snapshot (one row per arrangement) as at a period end.

    All or nothing, in one pass over the file (``imports.checked_rows``): rows are written as
    they are checked, and any bad row (or duplicate arrangement, found by the database after
    loading) rolls the load back and rejects the file, with every error kept for download.
    Importing the same file (same SHA-256) again for the same firm and date returns the existing
    snapshot (the load is rolled back). A file over a cap (``imports.caps``) is rejected at the
    row where the cap was passed. The snapshot's active clients are computed once, here
    (``metrics.store_active_clients``), for every return computed from it.

    Run as an upload job (``reporting.tasks``), ``job`` reports progress (which raises once the
    job is cancelled) and records the job's end inside the import's own transaction.
    """
    require_firm_perm(actor, firm, Perm.PREPARE_RETURNS)
    if source.format not in ("csv", "xlsx"):
        raise ValidationFailed(
            ErrorCode.UNSUPPORTED_FILE,
            f"{source.name}: upload a .csv or .xlsx file.",
            fields={"file": ["Upload a .csv or .xlsx file."]},
        )
    require_reference_date(firm, as_at)
    started = _time.monotonic()
    checking = (lambda n: job.progress(n, stage="checking")) if job else None
    report = imports.ValidationReport()
    try:
        try:
            with transaction.atomic():
                # One pass: the rows go to the database as they are checked; any error, found
                # at whatever row, rolls them back. The file's hash is known only at the end, so
                # the header holds a placeholder unique to this load until then.
                snapshot = ClientPositionSnapshot(
                    firm=firm,
                    as_at=as_at,
                    file_name=source.name[:255],
                    file_format=source.format,
                    file_sha256=f"loading-{uuid.uuid4().hex}",
                    file_size=0,
                    row_count=0,
                    loaded_by=history_user(actor),
                    loaded_at=now,
                )
                snapshot.save_without_historical_record()
                table = snapshot_rows.open_own_table(ClientPositionRow, snapshot.pk)
                try:
                    if not snapshot_copy.copy_checked(source, snapshot.pk, table, report, checking):
                        rows = imports.checked_rows(source, report, checking)
                        _load_rows(rows, snapshot.pk, table)
                except SpreadsheetError as exc:
                    report.close()
                    report = imports.ValidationReport(rows=max((exc.row or 1) - 1, 0))
                    report.add(imports.RowError(exc.row or 1, "(file)", "", exc.message))
                if not report.ok:
                    raise _RollBack
                existing = ClientPositionSnapshot.objects.filter(
                    firm=firm, as_at=as_at, file_sha256=report.sha256
                ).first()
                if existing is not None:
                    raise _RollBack(existing)
                snapshot_rows.seal_own_table(ClientPositionRow, snapshot.pk, table)
                with snapshot_rows.sorted_plans():
                    for error in _duplicate_arrangements(snapshot.pk):
                        report.add(error)
                if not report.ok:
                    raise _RollBack(duplicates=True)
                clients = snapshot_rows.open_own_table(ActiveClient, snapshot.pk)
                with snapshot_rows.key_order_plans():
                    metrics.store_active_clients(snapshot.pk, clients)
                snapshot_rows.seal_own_table(ActiveClient, snapshot.pk, clients)
                snapshot.file_sha256 = report.sha256
                snapshot.file_size = report.size
                snapshot.row_count = report.rows
                snapshot.load_seconds = round(_time.monotonic() - started, 3)
                snapshot.save_without_historical_record(
                    update_fields=["file_sha256", "file_size", "row_count", "load_seconds"]
                )
                record_creation(snapshot, actor=actor, reason="snapshot.import")
                if job is not None:
                    job.succeed(snapshot, created=True)
        except _RollBack as back:
            if back.existing is not None:
                if job is not None:
                    with transaction.atomic():
                        job.succeed(back.existing, created=False)
                return ImportResult(back.existing, created=False)
            found = (
                f"{report.error_count} duplicate arrangement(s)"
                if back.duplicates
                else f"{report.error_count} error(s) in {report.rows} row(s)"
            )
            raise _reject(
                firm=firm,
                as_at=as_at,
                source=source,
                report=report,
                actor=actor,
                now=now,
                found=found,
            ) from None
        return ImportResult(snapshot, created=True)
    finally:
        report.close()
