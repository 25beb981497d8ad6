"""The commit's writes overlapped with its judging (issue 18): each chunk of planned rows is
written on a thread of its own while the rows after it are judged.

The commit was sequential: judge 2,000 rows in Python, then wait while the database takes them
(COPY, the history tables' chain, the indexes), then judge the next. Judging makes no query
(``plan``; ``tests/intake/test_register_query_counts.py``), so the writing thread can hold the
connection alone: it uses this thread's connection itself (the same transaction and savepoint,
execute wrappers and query log), one chunk at a time and in file order, so what is written, its
ids and references are those of writing in turn. While the database works, the writing thread
waits outside the interpreter's lock and the rows after it are judged. A failure in a write is
raised at the next chunk or at the end; whatever ends the judging first waits for the chunk in
flight before the transaction is unwound.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import contextmanager

from django.db import DEFAULT_DB_ALIAS, connections

from .plan import Planned


class _ChunkWriter:
    def __init__(self, write: Callable[[list[Planned]], None]) -> None:
        self._write = write
        self._connection = connections[DEFAULT_DB_ALIAS]
        self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="register-write")
        self._pending: Future[None] | None = None
        self._connection.inc_thread_sharing()

    def __call__(self, plans: list[Planned]) -> None:
        """Write ``plans`` once the chunk before them is written."""
        self.wait()
        self._pending = self._pool.submit(self._on_thread, plans)

    def _on_thread(self, plans: list[Planned]) -> None:
        connections[DEFAULT_DB_ALIAS] = self._connection
        try:
            self._write(plans)
        finally:
            del connections[DEFAULT_DB_ALIAS]

    def wait(self) -> None:
        """The chunk in flight written (its failure raised here)."""
        if self._pending is not None:
            pending, self._pending = self._pending, None
            pending.result()

    def close(self) -> None:
        """Let the write in flight end (whatever it raises was raised or is superseded), then
        give the connection back to this thread alone."""
        try:
            if self._pending is not None:
                self._pending.exception()
        finally:
            self._pool.shutdown(wait=True)
            self._connection.dec_thread_sharing()


@contextmanager
def overlapped(write: Callable[[list[Planned]], None]) -> Iterator[Callable[[list[Planned]], None]]:
    """``write`` for the commit's chunks, each run on the writing thread while the caller
    judges the next; every chunk written (or its failure raised) when the block ends."""
    writer = _ChunkWriter(write)
    try:
        yield writer
        writer.wait()
    finally:
        writer.close()
