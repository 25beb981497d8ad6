"""Publishing a task without letting the broker fail the user's action.

Services never queue work themselves: they write the intent to the outbox (``common.outbox``)
in their own transaction, and its on-commit attempt publishes through ``enqueue``. If the broker
is unreachable the error is logged (task name and IDs only: no personal data) and the request
still succeeds; the outbox sweep delivers the message later. Periodic jobs are state-based, so
a missed run is caught up by the next.

On a plain Redis broker ``enqueue`` writes Celery's message itself (issue 18): ``apply_async``
spent about 0.4 ms of CPU a publish on routing, option merging, signals and kombu's producer
for one ``LPUSH``, a tenth of the API create's Python. The message is Celery's own, built by its
``as_task_v2`` and wrapped by kombu's Redis channel (``prepare_message``, ``basic_publish``), so
a worker cannot tell them apart (tests/common/test_queueing.py compares the two and runs it on
a real worker). Wherever ``apply_async`` would do more than that (eager mode, another transport
or transport options, routes, a result backend, publish signals, a task's own options, a
publish from inside a task, which carries its parent's ids) Celery's path runs, as it does on
any error of the direct one (its retry reconnects).
"""

from __future__ import annotations

import base64
import json
import logging
import os
from typing import Any

import redis
from celery import Celery, signals
from celery.app.task import Task
from celery.utils.nodenames import anon_nodename
from celery.utils.saferepr import saferepr
from kombu.utils.uuid import uuid
from redis.backoff import NoBackoff
from redis.retry import Retry

logger = logging.getLogger(__name__)

# Fail fast: a request must not hang waiting for a broker that is down.
PUBLISH_RETRY_POLICY = {"max_retries": 1, "interval_start": 0, "interval_step": 0.2}

# The execution options a task may carry; apply_async routes and shapes its message by them.
_TASK_OPTIONS = (
    *("queue", "routing_key", "exchange", "priority", "expires", "compression"),
    *("delivery_mode", "time_limit", "soft_time_limit", "immediate", "mandatory"),
)
_PERSISTENT = 2  # kombu's delivery mode for Celery's default "persistent"

# (task name, broker URL, default queue) -> the queue apply_async would publish to, or None:
# Celery's path.
_direct_queues: dict[tuple[str, str, str], str | None] = {}
_clients: dict[tuple[int, str], redis.Redis] = {}
_REPR_LEVELS = 3  # Celery's task_repr_maxlevels, required below


def _queue_of(task: Any, conf: Any) -> str | None:
    """The queue ``task.apply_async(args)`` publishes to when it would publish exactly what
    ``_publish_direct`` does, else None."""
    options = task._get_exec_options()
    plain = (
        str(conf.broker_url).startswith("redis://")
        and not conf.broker_transport_options
        and not conf.task_routes
        and not conf.task_queues
        and not conf.result_backend
        and not conf.task_send_sent_event
        and not conf.task_compression
        and conf.task_protocol == 2
        and conf.task_repr_maxlevels == _REPR_LEVELS
        and conf.task_default_delivery_mode in (_PERSISTENT, "persistent")
        and options.get("serializer") == "json"
        and all(options.get(name) is None for name in _TASK_OPTIONS)
        and type(task).apply_async is Task.apply_async
        and type(task).shadow_name is Task.shadow_name
        and type(task.app).send_task is Celery.send_task
    )
    return conf.task_default_queue if plain else None


def _direct_queue(task: Any) -> str | None:
    app = task.app
    conf = app.conf
    if conf.task_always_eager or app.current_worker_task is not None:
        return None
    if signals.before_task_publish.receivers or signals.after_task_publish.receivers:
        return None
    key = (task.name, conf.broker_url, conf.task_default_queue)
    if key not in _direct_queues:
        _direct_queues[key] = _queue_of(task, conf)
    return _direct_queues[key]


def _client(conf: Any) -> redis.Redis:
    """This process's Redis client for the broker of ``conf`` (a forked worker makes its own).
    No retries of its own and the broker's connection timeout: a failure falls back at once to
    Celery's path, whose retry policy decides."""
    key = (os.getpid(), conf.broker_url)
    client = _clients.get(key)
    if client is None:
        timeout = float(conf.broker_connection_timeout or 4.0)
        client = _clients[key] = redis.Redis.from_url(
            conf.broker_url,
            socket_timeout=timeout,
            socket_connect_timeout=timeout,
            retry=Retry(NoBackoff(), 0),
        )
    return client


def _publish_direct(task: Any, args: tuple, queue: str) -> None:
    """``LPUSH`` to ``queue`` of what ``task.apply_async(args=args)`` publishes there: the
    headers of Celery's ``as_task_v2`` and the envelope of kombu's Redis channel."""
    task_id = uuid()
    argsrepr = saferepr(args, 1024, maxlevels=_REPR_LEVELS)  # as_task_v2's argsrepr_maxsize
    headers = {
        "lang": "py",
        "task": task.name,
        "id": task_id,
        "shadow": None,
        "eta": None,
        "expires": None,
        "group": None,
        "group_index": None,
        "retries": 0,
        "timelimit": [None, None],
        "root_id": task_id,
        "parent_id": None,
        "argsrepr": argsrepr,
        "kwargsrepr": "{}",
        "origin": anon_nodename(),
        "ignore_result": task.ignore_result,
        "replaced_task_nesting": 0,
        "stamped_headers": None,
        "stamps": {},
    }
    body = [list(args), {}, {"callbacks": None, "errbacks": None, "chain": None, "chord": None}]
    message = {
        "body": base64.b64encode(json.dumps(body).encode()).decode(),
        "content-encoding": "utf-8",
        "content-type": "application/json",
        "headers": headers,
        "properties": {
            "correlation_id": task_id,
            "reply_to": task.app.thread_oid,
            "delivery_mode": _PERSISTENT,
            "delivery_info": {"exchange": "", "routing_key": queue},
            "priority": 0,
            "body_encoding": "base64",
            "delivery_tag": uuid(),
        },
    }
    _client(task.app.conf).lpush(queue, json.dumps(message))


def enqueue(task: Any, *args: int | str | bool | None) -> bool:
    """Queue ``task`` with ID-like arguments now; True if the broker (or eager run) took it."""
    resolve = getattr(task, "_get_current_object", None)  # shared_task's proxy: the task
    task = resolve() if resolve is not None else task
    queue = _direct_queue(task)
    if queue is not None:
        try:
            _publish_direct(task, args, queue)
            return True
        except Exception as exc:  # Celery's path below retries, reconnecting, or logs
            logger.info("Direct publish of %s failed (%s)", task.name, type(exc).__name__)
    try:
        task.apply_async(args=args, retry=True, retry_policy=PUBLISH_RETRY_POLICY)
    except Exception as exc:
        logger.error(
            "Could not queue %s%r (%s); the outbox sweep or the next scheduled run will catch up.",
            task.name,
            args,
            type(exc).__name__,
        )
        return False
    return True
