"""The preview's rows judged by forked workers (``intake.services.fanout``, issue 18): the same
results in the same order as one process gives, every part's progress counted, a failed or
querying worker's part judged by the parent, a cancelled preview's workers killed, and forking
only where it is safe."""

import logging
import os
import threading
import time

import pytest

from complaints.models import Firm
from intake.services import fanout, import_preview
from intake.services.fanout import judge_parts, workers_for
from tests.factories import london
from tests.intake.test_register_import import GOOD, row, to_csv

pytestmark = [
    pytest.mark.django_db,
    # pytest-xdist's worker runs an I/O thread of its own beside the tests: Python warns of any
    # fork from a process with another thread. The product never forks from one (``workers_for``,
    # the last tests); these tests fork on purpose, and their children only judge.
    pytest.mark.filterwarnings("ignore:This process .* is multi-threaded:DeprecationWarning"),
]
NOW = london(2026, 6, 1, 9, 0)


def _no_zombies() -> bool:
    """No child of this process is left unreaped."""
    try:
        return os.waitpid(-1, os.WNOHANG) == (0, 0)
    except ChildProcessError:
        return True


def test_a_preview_judged_by_three_workers_gives_what_one_process_gives(
    firm, handler, settings, monkeypatch
):
    """Every kind of row (each status, errors, a reference repeated in the file, one already in
    the register) across three workers: the batch's results and counts are one process's."""
    monkeypatch.setattr(fanout, "_threads", lambda: 1)  # the test runner's own thread aside
    bad = [
        row("E-1", channel="pigeon", received_at="next tuesday"),
        row("E-2", status="acknowledged"),
        row("D-1"),
        row("D-1", description="Again."),
    ]
    rows = [*GOOD, *bad, *[row(f"R-{n}") for n in range(100, 130)], *GOOD[:2]]
    content = to_csv(rows)
    settings.INTAKE_PREVIEW_ROWS_PER_WORKER = 1
    batches = []
    for workers in (1, 3):
        settings.INTAKE_PREVIEW_WORKERS = workers
        assert workers_for(len(rows)) == workers
        batches.append(
            import_preview(firm=firm, actor=handler, now=NOW, filename="r.csv", content=content)
        )
    one, three = batches
    assert three.results == one.results
    assert [r["row"] for r in three.results] == list(range(2, len(rows) + 2))
    counts = ("rows_total", "rows_ok", "rows_duplicate", "rows_error")
    assert [getattr(three, c) for c in counts] == [getattr(one, c) for c in counts]
    assert one.rows_error >= 4 and one.rows_ok > 30


def test_each_part_after_the_first_is_judged_in_a_child_process():
    parent = os.getpid()
    parts = [range(0, 5), range(5, 10), range(10, 15)]
    got = judge_parts(parts, lambda n: (n, os.getpid()))
    assert [n for n, _ in got] == list(range(15))
    pids = [pid for _, pid in got]
    assert set(pids[:5]) == {parent}
    assert parent not in pids[5:] and len(set(pids[5:10])) == 1 and pids[5] != pids[10]
    assert _no_zombies()


def test_progress_counts_the_rows_every_worker_has_judged():
    heard: list[int] = []

    def slow(n: int) -> int:
        time.sleep(0.01)
        return n

    got = judge_parts([range(0, 20), range(20, 40)], slow, heard.append)
    assert got == list(range(40))
    assert heard == sorted(heard) and len(heard) == 20
    # The child judged its rows beside the parent's: the count passed the parent's own 19.
    assert heard[-1] > 19


def test_a_worker_that_fails_has_its_part_judged_by_the_parent(caplog):
    parent = os.getpid()

    def judge(n: int) -> tuple[int, int]:
        if os.getpid() != parent and n == 7:
            raise ValueError("the child's own failure")
        return n, os.getpid()

    with caplog.at_level(logging.WARNING, logger="intake.services.fanout"):
        got = judge_parts([range(0, 5), range(5, 10)], judge)
    assert got == [(n, parent) for n in range(10)]
    assert "the child's own failure" in caplog.text
    assert _no_zombies()


def test_a_part_whose_child_cannot_be_forked_is_judged_by_the_parent(monkeypatch, caplog):
    """The system refusing a process (a limit on processes) costs time, not the preview."""
    parent, real_fork, forks = os.getpid(), os.fork, []

    def fork() -> int:
        forks.append(1)
        if len(forks) == 2:
            raise BlockingIOError(11, "Resource temporarily unavailable")
        return real_fork()

    monkeypatch.setattr(os, "fork", fork)
    with caplog.at_level(logging.WARNING, logger="intake.services.fanout"):
        got = judge_parts([range(0, 3), range(3, 6), range(6, 9)], lambda n: (n, os.getpid()))
    assert [n for n, _ in got] == list(range(9))
    pids = [pid for _, pid in got]
    assert pids[3] != parent and pids[6:] == [parent] * 3
    assert "could not start" in caplog.text
    assert _no_zombies()


def test_a_worker_may_not_query_the_database_it_shares(firm):
    """A child's query is refused before anything is sent on the parent's connection: the
    parent judges that part itself, and its connection still answers afterwards."""
    parent = os.getpid()

    def judge(n: int) -> tuple[int, int, int]:
        return n, Firm.objects.filter(pk=firm.pk).count(), os.getpid()

    got = judge_parts([range(0, 2), range(2, 4)], judge)
    assert got == [(n, 1, parent) for n in range(4)]
    assert Firm.objects.get(pk=firm.pk).name == firm.name


def test_a_stopped_preview_kills_its_workers():
    """The job's progress raising (a cancelled job) ends the children at once, reaped."""

    class Cancelled(Exception):
        pass

    def stop(done: int) -> None:
        if done >= 3:
            raise Cancelled

    def slow(n: int) -> int:
        time.sleep(0.05)
        return n

    started = time.monotonic()
    with pytest.raises(Cancelled):
        judge_parts([range(0, 100), range(100, 200)], slow, stop)
    assert time.monotonic() - started < 2  # the child's 5 s of rows were not waited for
    assert _no_zombies()


def test_forking_only_with_rows_enough(settings, monkeypatch):
    monkeypatch.setattr(fanout, "_threads", lambda: 1)  # the test runner's own thread aside
    settings.INTAKE_PREVIEW_WORKERS = 4
    settings.INTAKE_PREVIEW_ROWS_PER_WORKER = 1000
    assert workers_for(999) == 1
    assert workers_for(2500) == 2
    assert workers_for(10_000) == 4
    del settings.INTAKE_PREVIEW_WORKERS
    assert workers_for(100_000) == len(os.sched_getaffinity(0))


def test_never_forking_from_a_process_with_another_thread(settings):
    """Counted by the operating system, as Python's fork warning counts: a thread started here,
    and any the threading module does not know of."""
    settings.INTAKE_PREVIEW_WORKERS = 4
    settings.INTAKE_PREVIEW_ROWS_PER_WORKER = 1
    before = fanout._threads()
    assert before == len(os.listdir("/proc/self/task"))
    release = threading.Event()
    other = threading.Thread(target=release.wait)
    other.start()
    try:
        assert fanout._threads() == before + 1
        assert workers_for(10_000) == 1
    finally:
        release.set()
        other.join()
