"""Fixtures for the jobs: people in a firm, a broker switch and a real Celery worker."""

from __future__ import annotations

import contextlib
import os
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest
import redis
from django.db import connection

from config.celery import app as celery_app
from tests.factories import MembershipFactory

ROOT = Path(__file__).resolve().parents[2]
REDIS_HOST, REDIS_PORT = "127.0.0.1", 6379


@pytest.fixture
def owner(firm):
    return MembershipFactory(
        firm=firm, role="handler", user__first_name="Hannah", user__last_name="Okafor"
    ).user


@pytest.fixture
def reporting_officer(firm):
    return MembershipFactory(firm=firm, role="reporting_officer").user


_SESSION_CONF = {
    k: celery_app.conf[k] for k in ("broker_url", "task_always_eager", "task_default_queue")
}


@contextlib.contextmanager
def broker(url: str):
    """Point this process's Celery app at ``url`` with eager mode off, then restore it."""
    # Restored to the values of the session (no broker: eager), not those a test's ``settings``
    # changes may already show through the Celery conf.
    saved = dict(_SESSION_CONF)
    celery_app.conf.update(broker_url=url, task_always_eager=False)
    celery_app._after_fork()  # drop pooled connections to the previous broker
    try:
        yield celery_app
    finally:
        celery_app.conf.update(saved)
        celery_app._after_fork()


def _redis_db() -> int:
    # One Redis database per xdist worker (5, 6, ...), so parallel test workers never flush
    # or consume each other's queues.
    worker = os.environ.get("PYTEST_XDIST_WORKER", "gw0")
    return 5 + int(worker.removeprefix("gw") or 0)


def _ensure_redis() -> redis.Redis:
    client = redis.Redis(host=REDIS_HOST, port=REDIS_PORT, db=_redis_db())
    try:
        client.ping()
    except redis.ConnectionError:
        subprocess.run(
            [
                "redis-server",
                "--daemonize",
                "yes",
                "--bind",
                "127.0.0.1",
                "-::1",
                "--port",
                str(REDIS_PORT),
                "--save",
                "",
                "--appendonly",
                "no",
            ],
            check=True,
        )
        time.sleep(0.5)
        client.ping()
    return client


def worker_env(url: str, **extra: str) -> dict[str, str]:
    """The environment of a worker process on broker ``url`` reading this test's database."""
    db = connection.settings_dict
    password = f":{db['PASSWORD']}" if db.get("PASSWORD") else ""
    return {
        **os.environ,
        "DATABASE_URL": (
            f"postgres://{db['USER']}{password}@{db['HOST'] or '127.0.0.1'}:"
            f"{db['PORT'] or 5432}/{db['NAME']}"
        ),
        "CELERY_BROKER_URL": url,
        "EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend",
        "CONN_MAX_AGE": "0",
        **extra,
    }


@contextlib.contextmanager
def worker_process(env: dict[str, str], log: Path, *, queue: str = "celery"):
    """A real ``celery -A config worker`` process (solo pool, logging to ``log``); always
    terminated on the way out."""
    # Tasks the worker publishes itself (an outbox delivery queueing an upload job) go to the
    # queue it consumes.
    env = {**env, "CELERY_TASK_DEFAULT_QUEUE": queue}
    with open(log, "w") as out:
        proc = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "celery",
                "-A",
                "config",
                "worker",
                "--pool",
                "solo",
                "--queues",
                queue,
                "--loglevel",
                "INFO",
                "--without-gossip",
                "--without-mingle",
                "--without-heartbeat",
            ],
            cwd=ROOT,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    proc.log = log  # type: ignore[attr-defined]
    try:
        yield proc
    finally:
        proc.terminate()
        try:
            proc.wait(15)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(5)


@pytest.fixture
def celery_worker(transactional_db, settings, tmp_path):
    """A real ``celery -A config worker`` on Redis, reading this test's database.

    The worker is a separate process with its own connection, so tests using it run with
    ``transaction=True`` (it must see committed rows). Always terminated.
    """
    if connection.vendor != "postgresql":
        pytest.fail("the worker tests need PostgreSQL (set DATABASE_URL)")
    client = _ensure_redis()
    client.flushdb()
    url = f"redis://{REDIS_HOST}:{REDIS_PORT}/{_redis_db()}"
    queue = f"jobs-test-{uuid.uuid4().hex[:10]}"
    settings.CELERY_TASK_ALWAYS_EAGER = False
    settings.CELERY_BROKER_URL = url
    try:
        with (
            worker_process(worker_env(url), tmp_path / "worker.log", queue=queue) as proc,
            broker(url) as app,
        ):
            app.conf.task_default_queue = queue
            yield proc
    finally:
        client.flushdb()


def wait_for(predicate, *, timeout: float = 60, what: str = "condition", proc=None):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        if proc is not None and proc.poll() is not None:
            break
        time.sleep(0.25)
    log = proc.log.read_text()[-3000:] if proc is not None else ""
    pytest.fail(f"timed out waiting for {what}\n{log}")
