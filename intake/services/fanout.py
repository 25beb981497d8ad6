"""The preview's rows judged by as many processes as the machine has CPUs (issue 18).

A preview is Python alone: every row judged in memory, no query (``plan``;
``tests/intake/test_register_query_counts.py``), one row's judgement depending on no other's
(the file's repeated references and the register's are found before, once). One process used
one CPU of the machine while the others, and the database, were idle: at 10,000 rows the
preview was a quarter to a third of preview plus commit.

So the rows are cut into contiguous parts, one per worker; this process forks a child per
part but the first, judges the first itself, then reads each child's results in file order.
A child inherits everything the rows are judged with (the firm, its calendar, the file's
parsed rows) and sends back only its results, pickled through a pipe; it counts the rows it
has judged in memory shared with this process, so the job's progress counts every part. A
child never returns into its parent's code: it ends by ``os._exit`` whatever happens, so
nothing of the parent's (the database connection it shares, ``atexit``, the test runner) runs
twice. It must not touch the database connection it inherited (its socket is the parent's):
every query it tries is refused before a byte is sent. A child that fails for any reason
(it raised, it was killed, its results did not arrive whole) costs nothing but time: its part
is judged here, as without it, and the reason logged; so is a part whose child could not be forked
(a process limit).

Forking is used only where it is safe and pays: on a system with ``fork``, from a process with
no other thread, counted by the operating system (a thread holding a lock at the fork would
hold it forever in the child: the upload jobs run in Celery's prefork children, which have
none; a threaded web server judges in its own thread), with at least
``INTAKE_PREVIEW_ROWS_PER_WORKER`` rows (default 1,000) for each worker, up to
``INTAKE_PREVIEW_WORKERS`` workers (default: the CPUs this process may run on).
"""

from __future__ import annotations

import contextlib
import logging
import mmap
import os
import pickle
import signal
import struct
import threading
import traceback
from collections.abc import Callable, Iterable, Sequence
from typing import Any

from django.conf import settings
from django.db import connections

log = logging.getLogger(__name__)

_COUNT = struct.Struct("q")


def workers_for(rows: int) -> int:
    """How many processes judge ``rows`` rows (1: this one alone)."""
    configured = getattr(settings, "INTAKE_PREVIEW_WORKERS", None)
    cpus = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    wanted = int(configured) if configured is not None else (cpus or 1)
    per_worker = max(1, int(getattr(settings, "INTAKE_PREVIEW_ROWS_PER_WORKER", 1000)))
    workers = max(1, min(wanted, rows // per_worker))
    if workers > 1 and (not hasattr(os, "fork") or _threads() > 1):
        return 1
    return workers


def _threads() -> int:
    """This process's threads, as the operating system counts them where it says (Linux), as
    Python's own warning about forking does: a thread the ``threading`` module does not know
    of (a C library's, a test runner's) can hold a lock as well as any."""
    try:
        return len(os.listdir("/proc/self/task"))
    except OSError:
        return threading.active_count()


class _QueryInChild(RuntimeError):
    pass


def _refuse_queries(execute, sql, params, many, context):  # type: ignore[no-untyped-def]
    raise _QueryInChild(f"a preview worker makes no query (it tried: {sql[:200]})")


def _child[T, R](
    part: Iterable[T], judge: Callable[[T], R], counts: mmap.mmap, at: int, fd: int
) -> None:
    """Judge ``part``, send the results (or why not) down ``fd``, and end the process."""
    code = 1
    try:
        for connection in connections.all(initialized_only=True):
            connection.execute_wrappers.append(_refuse_queries)
        results: list[R] = []
        for done, item in enumerate(part, 1):
            results.append(judge(item))
            _COUNT.pack_into(counts, at, done)
        message: tuple[str, Any] = ("ok", results)
        code = 0
    except BaseException:
        message = ("failed", traceback.format_exc())
    try:
        with os.fdopen(fd, "wb") as pipe:
            pickle.dump(message, pipe, protocol=pickle.HIGHEST_PROTOCOL)
    except BaseException:
        code = 1
    finally:
        os._exit(code)


class _Worker:
    """A forked child judging one part: its pid, the pipe it answers on."""

    def __init__(self, pid: int, fd: int, index: int) -> None:
        self.pid, self.fd, self.index = pid, fd, index
        self.reaped = False

    def results(self) -> list[Any] | None:
        """The child's results, or None (the reason logged) when they did not come whole."""
        try:
            with os.fdopen(self.fd, "rb") as pipe:
                data = pipe.read()
        finally:
            self.fd = -1
            status = self.reap()
        try:
            kind, payload = pickle.loads(data)
        except Exception as exc:  # a child killed mid-write: its part is judged here instead
            log.warning(
                "Preview worker %s ended (status %s) without its results: %s",
                self.index,
                status,
                exc,
            )
            return None
        if kind != "ok" or status != 0:
            log.warning(
                "Preview worker %s failed (status %s); its rows are judged here: %s",
                self.index,
                status,
                payload if kind != "ok" else "",
            )
            return None
        return list(payload)

    def reap(self, *, kill: bool = False) -> int | None:
        if self.reaped:
            return None
        if kill:
            with contextlib.suppress(ProcessLookupError):
                os.kill(self.pid, signal.SIGKILL)
        if self.fd >= 0:
            os.close(self.fd)
            self.fd = -1
        _pid, status = os.waitpid(self.pid, 0)
        self.reaped = True
        return os.waitstatus_to_exitcode(status)


def judge_parts[T, R](
    parts: Sequence[Iterable[T]],
    judge: Callable[[T], R],
    progress: Callable[[int], None] | None = None,
) -> list[R]:
    """``judge`` of every item of every part, in order: each part after the first in a forked
    child, the first here. ``progress`` hears how many items all the parts have judged, before
    each item judged here (it may raise to stop: the children are then killed)."""
    counts = mmap.mmap(-1, _COUNT.size * max(1, len(parts)))
    workers: dict[int, _Worker] = {}
    pending: list[_Worker] = []  # forked, results not yet read

    def report(done: int) -> None:
        if progress is not None:
            others = sum(_COUNT.unpack_from(counts, w.index * _COUNT.size)[0] for w in pending)
            progress(done + others)

    try:
        for index, part in enumerate(parts[1:], 1):
            try:
                read_fd, write_fd = os.pipe()
                try:
                    pid = os.fork()
                except OSError:
                    os.close(read_fd)
                    os.close(write_fd)
                    raise
            except OSError as exc:  # no process to be had (a limit): the part is judged here
                log.warning(
                    "Preview worker %s could not start: %s; its rows are judged here.", index, exc
                )
                continue
            if pid == 0:  # the child: never returns
                os.close(read_fd)
                _child(part, judge, counts, index * _COUNT.size, write_fd)
            os.close(write_fd)
            workers[index] = _Worker(pid, read_fd, index)
        pending.extend(workers.values())
        results: list[R] = []
        for item in parts[0] if parts else ():
            report(len(results))
            results.append(judge(item))
        for index in range(1, len(parts)):
            worker = workers.get(index)
            got = None
            if worker is not None:
                got = worker.results()
                pending.remove(worker)
            if got is None:
                got = []
                for item in parts[index]:
                    report(len(results) + len(got))
                    got.append(judge(item))
            results.extend(got)
        return results
    finally:
        for worker in workers.values():
            worker.reap(kill=True)
        counts.close()
