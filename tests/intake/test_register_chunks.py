"""The commit writes its planned rows in chunks (``INTAKE_IMPORT_CHUNK_ROWS``) inside its one
transaction, so memory stays flat however long the file (issue 18). Chunked or not, it writes
the same: the same references in file order, the same likely duplicates (one found in an earlier
chunk is found in the register, as the row-by-row import found it), the same history steps, one
announcement per complaint; and all-or-nothing still leaves nothing behind."""

import threading

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from common.models import OutboxMessage
from complaints.models import Complaint
from intake.services import import_commit, import_preview
from tests.factories import FirmFactory

from .test_register_import import NOW, row, to_csv
from .test_register_query_counts import register

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def frozen(time_machine):
    time_machine.move_to(NOW, tick=False)


def imported(firm, handler, content: bytes) -> list[tuple]:
    batch = import_preview(firm=firm, actor=handler, now=NOW, filename="r.csv", content=content)
    batch = import_commit(batch_id=batch.pk, actor=handler, now=NOW, all_or_nothing=True)
    assert batch.rows_error == 0, batch.results[:3]
    by_pk = {c.pk: c for c in Complaint.objects.filter(firm=firm)}
    out = []
    for r in batch.results:
        c = by_pk[r["complaint_id"]]
        original = by_pk.get(c.likely_duplicate_of_id)
        steps = list(
            c.history.order_by("history_id").values_list("history_change_reason", "status")
        )
        out.append(
            (
                r["row"],
                c.reference.split("-", 1)[1],
                c.external_reference,
                original.external_reference if original else None,
                c.status,
                c.response_deadline,
                steps,
            )
        )
    return out


def test_a_commit_in_chunks_writes_what_one_chunk_writes(firm, handler, settings):
    content = register(40, "C")
    whole = imported(firm, handler, content)
    settings.INTAKE_IMPORT_CHUNK_ROWS = 3
    other = FirmFactory(name="Chunked Ltd", nation="england")
    chunked = imported(other, handler, content)
    assert chunked == whole
    assert sum(1 for r in whole if r[3]) == 4  # every tenth row repeats the one before
    announced = OutboxMessage.objects.filter(dedupe_key__endswith=":register")
    assert announced.count() == 80


def test_all_or_nothing_leaves_no_chunk_behind(firm, handler, settings):
    settings.INTAKE_IMPORT_CHUNK_ROWS = 2
    rows = [row(f"A-{i}") for i in range(7)] + [row("A-bad", status="acknowledged")]
    content = to_csv(rows)
    batch = import_preview(firm=firm, actor=handler, now=NOW, filename="a.csv", content=content)
    batch = import_commit(batch_id=batch.pk, actor=handler, now=NOW, all_or_nothing=True)
    assert batch.status == "rejected"
    assert batch.rows_error == 1
    assert not Complaint.objects.filter(firm=firm).exists()
    assert not OutboxMessage.objects.filter(dedupe_key__endswith=":register").exists()


def test_all_or_nothing_writes_nothing_more_once_a_row_fails(firm, handler, settings):
    """The savepoint undoes chunks written before the error; none is written after it."""
    settings.INTAKE_IMPORT_CHUNK_ROWS = 2
    rows = [row("B-bad", status="acknowledged")] + [row(f"B-{i}") for i in range(7)]
    content = to_csv(rows)
    batch = import_preview(firm=firm, actor=handler, now=NOW, filename="b.csv", content=content)
    with CaptureQueriesContext(connection) as ctx:
        batch = import_commit(batch_id=batch.pk, actor=handler, now=NOW, all_or_nothing=True)
    assert (batch.status, batch.rows_error, batch.rows_ok) == ("rejected", 1, 7)
    written = [q["sql"] for q in ctx.captured_queries if q["sql"].startswith("INSERT")]
    assert not [sql for sql in written if '"complaints_complaint"' in sql.split("(", 1)[0]]


def test_each_chunk_is_written_on_the_writing_thread_while_the_next_is_judged(
    firm, handler, settings, monkeypatch
):
    """The commit overlaps writing a chunk with judging the next (intake.services.pipeline): the
    writing thread does the database's work only (each chunk's reservation of keys, references
    and register rows, then its COPYs), on this connection and in its transaction, in file
    order; every row is built on this thread."""
    from intake.services import batches, store

    settings.INTAKE_IMPORT_CHUNK_ROWS = 4
    content = register(12, "T")
    batch = import_preview(firm=firm, actor=handler, now=NOW, filename="t.csv", content=content)
    seen: list[tuple[str, int, list[int], bool]] = []
    reserve, build, write = store.Import.reserve, store.Import.build, batches.write

    def watch(step, rows):
        seen.append((step, threading.get_ident(), rows, connection.in_atomic_block))

    def watched_reserve(self, plans):
        watch("reserve", [p.row.number for p in plans])
        return reserve(self, plans)

    def watched_build(self, plans, reserved):
        watch("build", [p.row.number for p in plans])
        return build(self, plans, reserved)

    def watched_write(copies):
        [complaints] = [ready.rows for ready in copies if ready.model is Complaint]
        watch("write", [row[0] for row in complaints])
        write(copies)

    monkeypatch.setattr(store.Import, "reserve", watched_reserve)
    monkeypatch.setattr(store.Import, "build", watched_build)
    monkeypatch.setattr(batches, "write", watched_write)
    batch = import_commit(batch_id=batch.pk, actor=handler, now=NOW, all_or_nothing=True)
    assert batch.rows_ok == 12
    chunks = [[2, 3, 4, 5], [6, 7, 8, 9], [10, 11, 12, 13]]
    assert [rows for step, _, rows, _ in seen if step == "reserve"] == chunks
    assert [rows for step, _, rows, _ in seen if step == "build"] == chunks
    ids = dict(Complaint.objects.filter(firm=firm).values_list("external_reference", "pk"))
    assert [rows for step, _, rows, _ in seen if step == "write"] == [
        [ids[f"T-{n - 2}"] for n in chunk] for chunk in chunks
    ]
    here = threading.get_ident()
    assert {ident for step, ident, _, _ in seen if step == "build"} == {here}
    assert here not in {ident for step, ident, _, _ in seen if step != "build"}
    assert all(atomic for *_, atomic in seen)
    assert len(ids) == 12  # this thread sees them: one transaction


@pytest.mark.parametrize("step", ["reserve", "write"])
@pytest.mark.parametrize("failing", [1, 2, 3])
def test_a_failure_in_any_chunk_fails_the_commit_and_leaves_nothing_behind(
    firm, handler, settings, monkeypatch, step, failing
):
    from intake.services import batches, store

    settings.INTAKE_IMPORT_CHUNK_ROWS = 4
    content = register(12, "F")
    batch = import_preview(firm=firm, actor=handler, now=NOW, filename="f.csv", content=content)
    calls: list[int] = []

    def fail_at(real):
        def job(*args):
            calls.append(1)
            if len(calls) == failing:
                raise RuntimeError("the database went away")
            return real(*args)

        return job

    if step == "reserve":
        monkeypatch.setattr(store.Import, "reserve", fail_at(store.Import.reserve))
    else:
        monkeypatch.setattr(batches, "write", fail_at(batches.write))
    with pytest.raises(RuntimeError, match="went away"):
        import_commit(batch_id=batch.pk, actor=handler, now=NOW, all_or_nothing=False)
    assert not Complaint.objects.filter(firm=firm).exists()
    assert not OutboxMessage.objects.filter(dedupe_key__endswith=":register").exists()
    batch.refresh_from_db()
    assert batch.status == "previewed"


def keys_of(firm, handler, content: bytes) -> dict[str, list]:
    """Each table's keys of one import, relative to its first, in file order (a complaint's
    letters and history steps in the order written)."""
    batch = import_preview(firm=firm, actor=handler, now=NOW, filename="k.csv", content=content)
    batch = import_commit(batch_id=batch.pk, actor=handler, now=NOW, all_or_nothing=True)
    assert batch.rows_error == 0, batch.results[:3]
    by_pk = {c.pk: c for c in Complaint.objects.filter(firm=firm)}
    found: dict[str, list] = {
        "complaint": [],
        "complainant": [],
        "letter": [],
        "note": [],
        "step": [],
        "number": [],
    }
    for r in batch.results:
        c = by_pk[r["complaint_id"]]
        found["complaint"].append(c.pk)
        found["complainant"].append(c.complainant_id)
        found["letter"] += sorted(c.communications.values_list("pk", flat=True))
        found["note"] += sorted(c.notes.values_list("pk", flat=True))
        found["step"] += sorted(c.history.values_list("history_id", flat=True))
        found["number"].append(int(c.reference.rsplit("-", 1)[1]))
    return {name: [k - min(keys) for k in keys] for name, keys in found.items()}


def test_keys_and_references_are_those_of_a_sequential_write(firm, handler, settings):
    """Keys are reserved before a chunk's rows are built (``store.Import.reserve``), chunks
    ahead of the writes: every table's keys and the references still run in file order, as
    writing the rows in turn gave them, however the file is chunked."""
    content = register(30, "K")
    whole = keys_of(firm, handler, content)
    for name, keys in whole.items():
        assert keys == list(range(len(keys))), name  # consecutive, in file order
    assert len(whole["letter"]) > len(whole["complaint"])
    settings.INTAKE_IMPORT_CHUNK_ROWS = 4
    settings.INTAKE_IMPORT_FIRST_CHUNK_ROWS = 1
    other = FirmFactory(name="Chunked Keys Ltd", nation="england")
    assert keys_of(other, handler, content) == whole


def test_a_chunk_is_built_and_written_once_the_writing_thread_is_idle(
    firm, handler, settings, monkeypatch
):
    """The writes have caught up with the judging (here: the first chunk's reservation is done
    while the second chunk is judged, and nothing else is queued): the first chunk is built
    and its write queued then (``pipeline._Pipeline.poll``), not once the second chunk is
    judged, which would leave the writing thread idle."""
    import time

    from intake.services import batches, store

    settings.INTAKE_IMPORT_CHUNK_ROWS = 4
    settings.INTAKE_IMPORT_FIRST_CHUNK_ROWS = 4
    content = register(12, "I")
    batch = import_preview(firm=firm, actor=handler, now=NOW, filename="i.csv", content=content)
    seen: list[tuple[str, int]] = []
    reserved = threading.Event()
    plan_row, reserve, build = batches.plan_row, store.Import.reserve, store.Import.build

    def watched_plan_row(ctx, row, *, now):
        if row.number == 8:  # the second chunk's third row: the first chunk's reservation done
            assert reserved.wait(timeout=30)
            time.sleep(0.2)  # its future marked done too
        seen.append(("judge", row.number))
        return plan_row(ctx, row, now=now)

    def watched_reserve(self, plans):
        found = reserve(self, plans)
        reserved.set()
        return found

    def watched_build(self, plans, found):
        seen.append(("build", plans[0].row.number))
        return build(self, plans, found)

    monkeypatch.setattr(batches, "plan_row", watched_plan_row)
    monkeypatch.setattr(store.Import, "reserve", watched_reserve)
    monkeypatch.setattr(store.Import, "build", watched_build)
    batch = import_commit(batch_id=batch.pk, actor=handler, now=NOW, all_or_nothing=True)
    assert batch.rows_ok == 12
    # the first chunk (rows 2-5) built after row 8 is judged, before row 9 (the second's last)
    assert seen.index(("build", 2)) == seen.index(("judge", 8)) + 1
    assert [n for step, n in seen if step == "build"] == [2, 6, 10]


def test_the_first_chunk_is_small_and_the_chunks_grow_to_the_steady_size(
    firm, handler, settings, monkeypatch
):
    """The database starts once the first chunk is judged: the first chunk is
    ``INTAKE_IMPORT_FIRST_CHUNK_ROWS``, each after it twice the one before, up to
    ``INTAKE_IMPORT_CHUNK_ROWS``."""
    from intake.services import store

    settings.INTAKE_IMPORT_CHUNK_ROWS = 8
    settings.INTAKE_IMPORT_FIRST_CHUNK_ROWS = 2
    content = register(30, "G")
    batch = import_preview(firm=firm, actor=handler, now=NOW, filename="g.csv", content=content)
    sizes: list[int] = []
    reserve = store.Import.reserve

    def watched(self, plans):
        sizes.append(len(plans))
        return reserve(self, plans)

    monkeypatch.setattr(store.Import, "reserve", watched)
    batch = import_commit(batch_id=batch.pk, actor=handler, now=NOW, all_or_nothing=True)
    assert batch.rows_ok == 30
    assert sizes == [2, 4, 8, 8, 8]


def test_each_complaint_is_announced_once_with_its_chunk_and_one_sweep_published(
    firm, handler, settings, django_capture_on_commit_callbacks
):
    """Every imported complaint gets its own announcement (one outbox message, its own key and
    retries, as ``after_commit``), written with its chunk's rows; the commit publishes one
    sweep for them all, and the sweep delivers each."""
    from common import outbox
    from common.queueing import enqueue
    from complaints.services._base import announce_change

    settings.INTAKE_IMPORT_CHUNK_ROWS = 4
    settings.INTAKE_IMPORT_FIRST_CHUNK_ROWS = 1
    content = register(12, "N")
    batch = import_preview(firm=firm, actor=handler, now=NOW, filename="n.csv", content=content)
    with django_capture_on_commit_callbacks() as callbacks:
        batch = import_commit(batch_id=batch.pk, actor=handler, now=NOW, all_or_nothing=True)
    ids = [r["complaint_id"] for r in batch.results]
    assert len(set(ids)) == 12
    messages = OutboxMessage.objects.filter(dedupe_key__endswith=":register").order_by("pk")
    assert [(m.dedupe_key, m.payload, m.kind, m.state) for m in messages] == [
        (
            f"complaint-changed:{pk}:register",
            {"complaint_id": pk, "action": "register"},
            outbox.kind_of(announce_change),
            "pending",
        )
        for pk in ids
    ]
    sweeps = [
        c
        for c in callbacks
        if getattr(c, "func", None) is enqueue and c.args == (outbox.sweep_outbox,)
    ]
    assert len(sweeps) == 1
    assert outbox.sweep(now=NOW).delivered == 12


def test_a_failure_while_judging_waits_for_the_writes_and_leaves_nothing_behind(
    firm, handler, settings, monkeypatch
):
    """The judging thread fails with chunks reserved, built and queued: the write in flight
    ends, those queued are dropped, and the transaction is unwound with nothing of the import
    left and the connection this thread's alone again."""
    from intake.services import batches

    settings.INTAKE_IMPORT_CHUNK_ROWS = 2
    settings.INTAKE_IMPORT_FIRST_CHUNK_ROWS = 2
    content = register(12, "J")
    batch = import_preview(firm=firm, actor=handler, now=NOW, filename="j.csv", content=content)
    plan_row = batches.plan_row

    def failing(ctx, row, **kwargs):
        if row.number == 11:
            raise RuntimeError("judging failed")
        return plan_row(ctx, row, **kwargs)

    monkeypatch.setattr(batches, "plan_row", failing)
    with pytest.raises(RuntimeError, match="judging failed"):
        import_commit(batch_id=batch.pk, actor=handler, now=NOW, all_or_nothing=False)
    assert not Complaint.objects.filter(firm=firm).exists()
    assert connection.allow_thread_sharing is False
    batch.refresh_from_db()
    assert batch.status == "previewed"


def test_the_cycle_collector_is_off_for_the_whole_preview_and_commit_and_on_after(firm, handler):
    """The collector stays off from reading the file to saving the batch (issue 18: its first
    full pass after the rows were judged walked them all again, 0.2-0.3 s at 10,000 rows), and
    runs again once the call returns."""
    import gc

    from common import audit
    from intake.services import batches

    seen: list[tuple[str, bool]] = []
    parse, insert, save = batches._parse_or_fail, batches.insert_audited, batches.save_audited

    def seeing(name, func):
        def seen_call(*args, **kwargs):
            seen.append((name, gc.isenabled()))
            return func(*args, **kwargs)

        return seen_call

    assert gc.isenabled()
    batches._parse_or_fail = seeing("parse", parse)
    batches.insert_audited = seeing("save", insert)  # the preview's new batch
    batches.save_audited = seeing("save", save)  # the commit's
    try:
        batch = import_preview(
            firm=firm, actor=handler, now=NOW, filename="r.csv", content=register(5, "G")
        )
        assert gc.isenabled()
        import_commit(batch_id=batch.pk, actor=handler, now=NOW, all_or_nothing=True)
    finally:
        batches._parse_or_fail, batches.insert_audited, batches.save_audited = parse, insert, save
    assert gc.isenabled()
    assert audit.save_audited is save and audit.insert_audited is insert
    assert seen == [("parse", False), ("save", False), ("parse", False), ("save", False)]


@pytest.mark.parametrize("fails", [False, True])
def test_threads_switch_promptly_while_the_commit_writes_and_the_interval_is_put_back(
    firm, handler, settings, monkeypatch, fails
):
    """intake.services.pipeline: both threads need the interpreter's lock, and by default a
    thread waiting for it waits 5 ms (the database waited with it); while the commit's chunks
    are written the interval is ``SWITCH_INTERVAL``, and the process's own is back after the
    commit, whether it succeeded or failed."""
    import sys

    from intake.services import batches, pipeline

    settings.INTAKE_IMPORT_CHUNK_ROWS = 4
    batch = import_preview(
        firm=firm, actor=handler, now=NOW, filename="s.csv", content=register(9, "S")
    )
    during: list[float] = []
    write = batches.write

    def watched(copies):
        during.append(sys.getswitchinterval())
        if fails:
            raise RuntimeError("the database went away")
        write(copies)

    monkeypatch.setattr(batches, "write", watched)
    before = sys.getswitchinterval()
    assert before > pipeline.SWITCH_INTERVAL
    if fails:
        with pytest.raises(RuntimeError, match="went away"):
            import_commit(batch_id=batch.pk, actor=handler, now=NOW, all_or_nothing=True)
    else:
        import_commit(batch_id=batch.pk, actor=handler, now=NOW, all_or_nothing=True)
        assert len(during) == 3
    assert during and set(during) == {pipeline.SWITCH_INTERVAL}
    assert sys.getswitchinterval() == before


def test_the_process_interval_is_back_once_the_last_of_overlapping_pipelines_ends():
    """Two commits in two threads of one process: the first to end leaves the interval short
    for the other; the last puts the process's own back."""
    import sys

    from intake.services.pipeline import SWITCH_INTERVAL, _prompt_switching

    before = sys.getswitchinterval()
    first, second = _prompt_switching(), _prompt_switching()
    first.__enter__()
    second.__enter__()
    assert sys.getswitchinterval() == SWITCH_INTERVAL
    first.__exit__(None, None, None)
    assert sys.getswitchinterval() == SWITCH_INTERVAL
    second.__exit__(None, None, None)
    assert sys.getswitchinterval() == before
