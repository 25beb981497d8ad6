"""The commit's writes overlapped with its judging (issue 18), the writing thread doing nothing
but the database's work.

The commit was sequential: judge 2,000 rows in Python, then wait while the database takes them
(COPY, the history tables' chain, the indexes), then judge the next. Judging makes no query
(``plan``; ``tests/intake/test_register_query_counts.py``), so a writing thread can hold the
connection alone: it uses this thread's connection itself (the same transaction and savepoint,
execute wrappers and query log), running one job at a time in the order given.

Each chunk is three jobs (``store``): ``reserve`` (its keys, references and the register rows
its duplicate check reads: database only, on the writing thread), ``build`` (every row, Python
only, on this thread) and ``write`` (the COPYs, on the writing thread). Building needs what was
reserved, so a chunk's reservation is queued as soon as it is judged and its rows are built
only after the next chunk is judged and its own reservation queued: the reservations (a few
milliseconds each) thus always run between two writes, never behind the write this thread
would wait for, and the writing thread always has the next write queued while this thread
judges and builds. But when the writing thread has done every job (the first chunk, or the
writes have caught up with the judging), the chunk held back is built at once (``poll``, asked
after each row is judged): waiting for the next chunk's judging would leave that thread idle
(the first ``COPY`` started only once the second chunk was judged, and on a loaded machine
the writes waited 0.2-0.5 s for each of the growing chunks). The alternatives were worse:
reserving keys for the whole file up front cannot know the references' years or the letters'
count before the rows are judged, and a chunk built as soon as it is reserved leaves the
writing thread idle while it is built (this thread waits for the write before it to end).

Both threads need Python's interpreter lock: this one holds it while it judges, and the writing
thread needs it between statements and while psycopg formats a ``COPY``'s rows. By default a
thread waiting for the lock gets it only after 5 ms (``sys.getswitchinterval``), and the
database waited that long, again and again: the first 250-row write took 0.23 s, 0.13 s with a
0.5 ms interval, and the commit's time not spent by the database fell by 0.3 s at 10,000 rows
(issue 18). So while a pipeline runs the interval is ``SWITCH_INTERVAL`` (0.5 ms; it is the
process's, and is put back once the last pipeline running ends).

The writes stay in file order, so what is written, its keys and references are those of
writing in turn. At most two writes are queued or in flight (memory stays flat). A failure on
the writing thread is raised at this thread's next wait (every job after it skipped); whatever
ends the judging first waits for the job in flight, and drops those queued, before the
transaction is unwound.
"""

from __future__ import annotations

import sys
import threading
from collections import deque
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import contextmanager
from typing import Any

from django.db import DEFAULT_DB_ALIAS, connections

from .plan import Planned

SWITCH_INTERVAL = 0.0005  # seconds: see the module's docstring
_switching = threading.Lock()
_running = 0  # pipelines running in this process
_interval = 0.0  # the process's own interval, put back when the last one ends


@contextmanager
def _prompt_switching() -> Iterator[None]:
    """The interpreter's switch interval at most ``SWITCH_INTERVAL`` while the block runs."""
    global _running, _interval
    with _switching:
        if _running == 0:
            _interval = sys.getswitchinterval()
            sys.setswitchinterval(min(_interval, SWITCH_INTERVAL))
        _running += 1
    try:
        yield
    finally:
        with _switching:
            _running -= 1
            if _running == 0:
                sys.setswitchinterval(_interval)


class _Pipeline[R, W]:
    def __init__(
        self,
        reserve: Callable[[list[Planned]], R],
        build: Callable[[list[Planned], R], W],
        write: Callable[[W], None],
    ) -> None:
        self._reserve, self._build, self._write = reserve, build, write
        self._connection = connections[DEFAULT_DB_ALIAS]
        self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="register-write")
        self._pending: tuple[list[Planned], Future[Any]] | None = None
        self._writes: deque[Future[Any]] = deque()
        self._error: BaseException | None = None
        self._connection.inc_thread_sharing()

    def __call__(self, plans: list[Planned]) -> None:
        """Reserve for ``plans`` now; build and write the chunk judged before them."""
        reserved = self._pool.submit(self._on_thread, self._reserve, plans)
        self.flush()
        self._pending = (plans, reserved)

    def poll(self) -> None:
        """The chunk held back built and its write queued now if the writing thread has done
        every job (its reservation and every write before it: they run in order, so the last
        write's end says so), rather than once the next chunk is judged."""
        pending = self._pending
        if (
            pending is not None
            and pending[1].done()
            and (not self._writes or self._writes[-1].done())
        ):
            self.flush()

    def flush(self) -> None:
        """The chunk held back built and its write queued."""
        if self._pending is None:
            return
        (plans, reserved), self._pending = self._pending, None
        rows = self._build(plans, self._result(reserved))
        while len(self._writes) >= 2:
            self._result(self._writes.popleft())
        self._writes.append(self._pool.submit(self._on_thread, self._write, rows))

    def finish(self) -> None:
        """Every chunk built and written (a failure raised here)."""
        self.flush()
        while self._writes:
            self._result(self._writes.popleft())

    def _on_thread(self, job: Callable[[Any], Any], arg: Any) -> Any:
        if self._error is not None:
            return None  # skipped: the transaction has failed; the first failure is raised
        connections[DEFAULT_DB_ALIAS] = self._connection
        try:
            return job(arg)
        except BaseException as exc:
            self._error = exc
            raise
        finally:
            del connections[DEFAULT_DB_ALIAS]

    def _result(self, future: Future[Any]) -> Any:
        future.exception()  # waits
        if self._error is not None:
            raise self._error
        return future.result()

    def close(self) -> None:
        """Let the job in flight end (whatever it raises was raised or is superseded), drop
        those queued (after ``finish`` there are none; otherwise the transaction is being
        unwound), then give the connection back to this thread alone."""
        self._pending = None
        try:
            self._pool.shutdown(wait=True, cancel_futures=True)
        finally:
            self._connection.dec_thread_sharing()


@contextmanager
def overlapped[R, W](
    reserve: Callable[[list[Planned]], R],
    build: Callable[[list[Planned], R], W],
    write: Callable[[W], None],
) -> Iterator[_Pipeline[R, W]]:
    """A ``write`` for the commit's chunks (each chunk's plans, in file order; its ``poll``
    asked between rows): reserved and written on the writing thread, built here while the
    chunk before is written; every chunk written (or its failure raised) when the block
    ends."""
    with _prompt_switching():
        pipeline = _Pipeline(reserve, build, write)
        try:
            yield pipeline
            pipeline.finish()
        finally:
            pipeline.close()
