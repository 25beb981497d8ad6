"""Register import batches: preview a file (every row judged in memory, nothing written but the
batch), commit it (the good rows, or nothing when all-or-nothing finds an error), or both in one
go.

Duplicates are found by the firm's own reference (``Complaint.external_reference``), within the
file and against the register; the same file committed twice for a firm finds its first batch.
"""

from __future__ import annotations

import gc
import hashlib
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Protocol

from django.conf import settings
from django.db import transaction
from django.db.models import QuerySet

from common import outbox
from common.audit import history_user, insert_audited, save_audited
from common.bulk import CopyRows
from common.errors import ValidationFailed
from common.locking import lock_row
from common.uploads import spreadsheet_format
from complaints.deadlines import calendar_for_firm
from complaints.models import Complaint, Firm

from ..columns import FileError, ParsedRow, Rows, read
from ..errors import IntakeErrorCode
from ..models import ImportBatch, ImportStatus
from .fanout import judge_parts, workers_for
from .pipeline import overlapped
from .plan import Context, Planned, RowResult, plan_row
from .store import Import, Reserved, write

if TYPE_CHECKING:
    from django.contrib.auth.models import User


class JobHooks(Protocol):
    """What an upload job lends the import (``intake.tasks``)."""

    def progress(self, done: int, *, total: int | None = None, stage: str = "") -> None: ...

    def succeed(self, batch: ImportBatch) -> None: ...


def _run_rows(
    firm: Firm,
    actor: User | None,
    rows: Rows,
    *,
    now: datetime,
    keep: bool,
    job: JobHooks | None = None,
    stage: str = "",
    write: Callable[[list[Planned]], None] | None = None,
    poll: Callable[[], None] | None = None,
    all_or_nothing: bool = False,
) -> list[RowResult]:
    """Every row's result, in file order; with ``write`` (and ``keep``), the good rows' plans
    handed to it in file order, ``chunk_rows()`` at a time, so that what is planned is written
    and let go as the rows are read (memory stays flat however long the file), ``poll`` asked
    after each row (the writer's chance to take a chunk sooner: ``pipeline``); with
    ``all_or_nothing``, nothing more once a row fails (the caller undoes what was written). One
    query for the duplicates, one for the calendar; the rows themselves are judged in memory
    (``plan``), each parsed as it is judged (``columns.Rows``: only the references read first,
    for the duplicates). Without ``write`` (the preview) the rows are judged in parts, on every
    CPU ``fanout`` may use."""
    references = rows.column("firm_reference")
    refs = Counter(ref for _, ref in references if ref)
    existing = dict(in_register(firm.pk, list(refs)).values_list("external_reference", "reference"))
    numbers: dict[str, list[int]] = {}
    for number, ref in references:
        numbers.setdefault(ref or "", []).append(number)
    firm = Firm.objects.prefetch_related("activities").get(pk=firm.pk)
    ctx = Context(firm, actor, calendar_for_firm(firm), keep)

    def judge(row: ParsedRow) -> tuple[RowResult, Planned | None]:
        ref = row.values.get("firm_reference") or ""
        if ref and refs[ref] > 1:
            others = ", ".join(str(n) for n in numbers[ref])
            errors = {
                **row.errors,
                "firm_reference": [f"Appears more than once in this file (rows {others})."],
            }
            return RowResult(
                row=row.number, firm_reference=ref, outcome="error", errors=errors
            ), None
        if ref in existing:
            skipped = f"Already in the register as {existing[ref]}: skipped."
            return RowResult(
                row=row.number,
                firm_reference=ref,
                outcome="duplicate",
                reference=existing[ref],
                errors={"firm_reference": [skipped]},
            ), None
        return plan_row(ctx, row, now=now)

    def report(done: int) -> None:
        if job is not None:
            job.progress(done, total=len(rows), stage=stage)

    if write is None:
        # Nothing written: every row's judgement alone, by every CPU the machine lends (fanout).
        return judge_parts(rows.parts(workers_for(len(rows))), lambda r: judge(r)[0], report)
    results: list[RowResult] = []
    plans: list[Planned] = []
    limit = first_chunk_rows()
    for row in rows:
        report(len(results))
        result, plan = judge(row)
        results.append(result)
        if all_or_nothing and result.outcome == "error":
            write, poll, plans = None, None, []
        elif plan is not None and write is not None:
            plans.append(plan)
            if len(plans) >= limit:
                write(plans)
                plans, limit = [], min(limit * 2, chunk_rows())
        if poll is not None:
            poll()
    if plans and write is not None:
        write(plans)
    return results


def in_register(firm_id: int, references: list[str]) -> QuerySet[Complaint]:
    """The firm's complaints whose own reference (``external_reference``) is one of
    ``references``, read by ``complaint_external_ref_idx`` (its condition named), in no order
    (the complaints' default order had the planner walk the firm's complaints by date)."""
    return (
        Complaint.objects.filter(firm_id=firm_id, external_reference__in=references)
        .exclude(external_reference="")
        .order_by()
    )


@contextmanager
def _collector_paused() -> Iterator[None]:
    """Python's cycle collector off while a preview or a commit runs (both are wrapped in it,
    from reading the file to saving the batch): every few hundred allocations it walks the
    objects the import holds (the parsed file, the results, a chunk of plans), which grow with
    the file (about an eighth of the commit's Python before), and the first full collection
    after the rows were judged walked them all once more (0.2-0.3 s at 10,000 rows, issue 18).
    The rows make no reference cycles that plain reference counting would not free; once the
    call returns and they are freed, the collector runs again as usual, over what is left."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def chunk_rows() -> int:
    """How many planned rows the commit holds before writing them (``INTAKE_IMPORT_CHUNK_ROWS``,
    default 2,000): the memory a commit needs, and each chunk's few extra queries."""
    return max(1, int(getattr(settings, "INTAKE_IMPORT_CHUNK_ROWS", 2000)))


def first_chunk_rows() -> int:
    """The first chunk's size (``INTAKE_IMPORT_FIRST_CHUNK_ROWS``, default 250, at most
    ``chunk_rows()``); each chunk after it twice the one before, up to ``chunk_rows()``. The
    database cannot start before the first chunk is judged and built (0.3 s for 2,000 rows),
    and while the writes catch up with the judging, the chunks grow to the steady size
    (``pipeline``: the writing thread idles least so)."""
    first = int(getattr(settings, "INTAKE_IMPORT_FIRST_CHUNK_ROWS", 250))
    return max(1, min(first, chunk_rows()))


class _Rejected(Exception):
    """All-or-nothing found an error: undo what was written (the results say why)."""


def _parse_or_fail(content: bytes, file_format: str) -> Rows:
    """The file's rows (``columns.read``: each parsed as it is judged), or its error."""
    try:
        rows = read(content, file_format)
    except FileError as exc:
        raise ValidationFailed(
            IntakeErrorCode.IMPORT_FILE_INVALID, str(exc), fields={"file": [str(exc)]}
        ) from None
    if not rows:
        raise ValidationFailed(
            IntakeErrorCode.IMPORT_FILE_INVALID,
            "The file has a header but no rows.",
            fields={"file": ["No rows."]},
        )
    return rows


def file_format_for(filename: str) -> str:
    if file_format := spreadsheet_format(filename):
        return file_format
    raise ValidationFailed(
        IntakeErrorCode.IMPORT_FILE_INVALID,
        "Upload a .csv or .xlsx file.",
        fields={"file": ["Upload a .csv or .xlsx file."]},
    )


_COUNT_FIELDS = ("rows_total", "rows_ok", "rows_duplicate", "rows_error", "results")


def _apply_counts(batch: ImportBatch, results: list[RowResult]) -> None:
    counts = Counter(r.outcome for r in results)
    batch.rows_total = len(results)
    batch.rows_ok = counts["ok"] + counts["created"]
    batch.rows_duplicate = counts["duplicate"]
    batch.rows_error = counts["error"]
    batch.results = [r.as_dict() for r in results]


@_collector_paused()
def import_preview(
    *,
    firm: Firm,
    actor: User | None,
    now: datetime,
    filename: str,
    content: bytes,
    job: JobHooks | None = None,
) -> ImportBatch:
    """Validate every row by the lifecycle's rules, in memory (``plan``): nothing is written
    but the batch.

    Run as an upload job (``intake.tasks``), ``job`` hears the progress (and stops the preview
    once the job is cancelled) and records the job's end with the batch."""
    file_format = file_format_for(filename)
    rows = _parse_or_fail(content, file_format)
    sha = hashlib.sha256(content).hexdigest()
    results = _run_rows(firm, actor, rows, now=now, keep=False, job=job, stage="checking every row")
    batch = ImportBatch(
        firm=firm,
        uploaded_by=history_user(actor),
        filename=filename[:255],
        file_format=file_format,
        file_sha256=sha,
        content=content,
        created_at=now,
    )
    _apply_counts(batch, results)
    with transaction.atomic():
        # One statement for the row and its history, its values bound on the server (the file
        # as bytes, not a 4 MB hex literal the server parses back): issue 18.
        insert_audited(batch, actor=actor, reason="import.preview")
        if job is not None:
            job.succeed(batch)
    return batch


def previously_committed(batch: ImportBatch) -> ImportBatch | None:
    return (
        ImportBatch.objects.filter(
            firm_id=batch.firm_id, file_sha256=batch.file_sha256, status=ImportStatus.COMMITTED
        )
        .exclude(pk=batch.pk)
        .first()
    )


@_collector_paused()
def import_commit(
    *,
    batch_id: int,
    actor: User | None,
    now: datetime,
    all_or_nothing: bool,
    job: JobHooks | None = None,
) -> ImportBatch:
    """Import the good rows in one transaction, or nothing if ``all_or_nothing`` and any row
    fails. The same file committed before for this firm creates nothing new: its batch is
    returned. Every row is validated again (the preview's rules and errors, as of now)."""
    with transaction.atomic():
        # The preview's results are not read: the commit judges every row again and writes its
        # own (``_apply_counts``). Read with the row, they cost the server the JSON text of every
        # row's result and this process its parse (10,000 rows: 1.7 MB, ~15 ms and ~20 ms) before
        # the first chunk is judged (issue 18); a caller that wants them loads them.
        batch = lock_row(
            ImportBatch.objects.defer("results"),
            batch_id,
            code=IntakeErrorCode.IMPORT_FILE_INVALID,
            message="No such import.",
        )
        if batch.status == ImportStatus.COMMITTED:
            if job is not None:
                job.succeed(batch)
            return batch
        # One import per firm at a time: duplicates by reference are checked under this lock.
        firm = lock_row(
            Firm.objects.all(),
            batch.firm_id,
            code=IntakeErrorCode.IMPORT_FILE_INVALID,
            message="No such firm.",
        )
        if earlier := previously_committed(batch):
            if job is not None:
                job.succeed(earlier)
            return earlier
        rows = _parse_or_fail(bytes(batch.content), batch.file_format)
        written: dict[int, tuple[int, str]] = {}
        chunks = Import(firm=firm, actor=actor, now=now, batch_id=batch.pk)

        def build(plans: list[Planned], reserved: Reserved) -> list[CopyRows]:
            # One transaction: a failure anywhere leaves nothing of the import behind.
            copies = chunks.build(plans, reserved)
            for plan in plans:
                written[plan.row.number] = (plan.complaint.pk, plan.complaint.reference)
            return copies

        try:
            # A savepoint: all-or-nothing undoes the chunks written before an error is found.
            with transaction.atomic():
                with overlapped(chunks.reserve, build, write) as write_next:
                    results = _run_rows(
                        firm,
                        actor,
                        rows,
                        now=now,
                        keep=True,
                        job=job,
                        stage="importing",
                        write=write_next,
                        poll=write_next.poll,
                        all_or_nothing=all_or_nothing,
                    )
                    # The last chunk built (every key and reference known): the results and the
                    # counts are made while the last writes run, not after them.
                    write_next.flush()
                    rejected = all_or_nothing and any(r.outcome == "error" for r in results)
                    if not rejected:
                        for r in results:
                            if r.outcome == "ok":
                                r.outcome = "created"
                                r.complaint_id, r.reference = written[r.row]
                    _apply_counts(batch, results)
                if rejected:
                    raise _Rejected
                if written:
                    outbox.sweep_on_commit()  # the announcements were written with each chunk
        except _Rejected:
            pass
        if rejected:
            batch.reject()
        else:
            batch.commit(at=now)
        batch.all_or_nothing = all_or_nothing
        save_audited(
            batch,
            actor=actor,
            reason="import.reject" if rejected else "import.commit",
            update_fields=["status", "committed_at", "all_or_nothing", *_COUNT_FIELDS],
        )
        if job is not None:
            job.succeed(batch)
    return batch


@dataclass(frozen=True)
class FileImport:
    batch: ImportBatch
    earlier: ImportBatch | None  # the same file, committed before for this firm


def import_file(
    *,
    firm: Firm,
    actor: User | None,
    now: datetime,
    filename: str,
    content: bytes,
    all_or_nothing: bool,
    dry_run: bool,
) -> FileImport:
    """Preview, then (unless a dry run) commit: what the management command does."""
    batch = import_preview(firm=firm, actor=actor, now=now, filename=filename, content=content)
    earlier = previously_committed(batch)
    if dry_run or earlier is not None:
        return FileImport(batch, earlier)
    batch = import_commit(batch_id=batch.pk, actor=actor, now=now, all_or_nothing=all_or_nothing)
    return FileImport(batch, None)
