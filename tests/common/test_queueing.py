"""``enqueue`` on a plain Redis broker writes Celery's message itself (issue 18): the same
message ``apply_async`` publishes, and ``apply_async`` wherever Celery would do more (eager
mode, publish signals, a failing broker). A real worker runs it: tests/notifications/test_worker.py
"""

from __future__ import annotations

import json
import socket

import pytest
from celery import signals
from celery.app.task import Task

from common import queueing
from common.outbox import deliver_outbox_message, sweep_outbox
from tests.notifications.conftest import REDIS_HOST, REDIS_PORT, _ensure_redis, _redis_db, broker

QUEUE = "queueing-test"


@pytest.fixture
def redis_broker():
    """This process's Celery app on the tests' Redis with eager mode off, publishing to QUEUE."""
    client = _ensure_redis()
    client.delete(QUEUE)
    url = f"redis://{REDIS_HOST}:{REDIS_PORT}/{_redis_db()}"
    with broker(url) as app:
        saved = app.conf.task_default_queue
        app.conf.task_default_queue = QUEUE
        try:
            yield client
        finally:
            app.conf.task_default_queue = saved
            client.delete(QUEUE)


@pytest.fixture
def celery_path(monkeypatch):
    """Records the tasks published through ``apply_async`` (and still publishes them)."""
    calls: list[str] = []
    original = Task.apply_async

    def spy(self, *args, **kwargs):
        calls.append(self.name)
        return original(self, *args, **kwargs)

    monkeypatch.setattr(Task, "apply_async", spy)
    return calls


def _published(client) -> list[dict]:
    return [json.loads(raw) for raw in reversed(client.lrange(QUEUE, 0, -1))]


def _without_ids(message: dict) -> dict:
    """A message with the values that differ per publish (its task id and delivery tag) blanked."""
    for name in ("id", "root_id"):
        message["headers"][name] = "-"
    for name in ("correlation_id", "delivery_tag"):
        message["properties"][name] = "-"
    return message


@pytest.mark.parametrize(
    ("task", "args"),
    [(deliver_outbox_message, (123,)), (sweep_outbox, ()), (deliver_outbox_message, ("a'b",))],
)
def test_enqueue_publishes_the_message_apply_async_publishes(redis_broker, celery_path, task, args):
    task.apply_async(args=args, retry=True, retry_policy=queueing.PUBLISH_RETRY_POLICY)
    assert queueing.enqueue(task, *args)

    by_celery, direct = _published(redis_broker)
    assert celery_path == [task.name]  # the second went directly
    assert direct["headers"]["id"] != by_celery["headers"]["id"]
    assert direct["headers"]["root_id"] == direct["headers"]["id"]
    assert direct["properties"]["correlation_id"] == direct["headers"]["id"]
    assert _without_ids(direct) == _without_ids(by_celery)


def test_enqueue_uses_celerys_path_where_it_would_do_more(redis_broker, celery_path):
    def receiver(**kwargs):
        pass

    signals.before_task_publish.connect(receiver)
    try:
        assert queueing.enqueue(deliver_outbox_message, 1)
    finally:
        signals.before_task_publish.disconnect(receiver)
    assert celery_path == ["common.deliver_outbox_message"]
    assert queueing.enqueue(deliver_outbox_message, 2)
    assert celery_path == ["common.deliver_outbox_message"]  # no receiver: direct again
    assert len(_published(redis_broker)) == 2


@pytest.mark.django_db
def test_enqueue_without_a_broker_runs_the_task_eagerly(celery_path):
    assert queueing.enqueue(sweep_outbox)
    assert celery_path == ["common.sweep_outbox"]


def test_a_broker_that_is_down_fails_the_publish_not_the_caller(celery_path, caplog):
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]  # nothing listens there once closed
    with broker(f"redis://127.0.0.1:{port}/0"):
        assert not queueing.enqueue(deliver_outbox_message, 7)
    assert celery_path == ["common.deliver_outbox_message"]  # the direct try, then Celery's
    assert "Could not queue common.deliver_outbox_message(7,)" in caplog.text
