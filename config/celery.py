"""The Celery application. Tasks are thin: they take IDs and call services.

Settings come from Django settings with the ``CELERY_`` prefix (broker, eager mode, the beat
schedule). Without ``CELERY_BROKER_URL`` tasks run eagerly in-process, so the demo needs no
broker. Run a worker with ``celery -A config worker`` and the scheduler with
``celery -A config beat`` (docs/jobs.md).
"""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

app = Celery("complaints")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.conf.update(
    # With acks_late (settings) a worker takes one task at a time, so a crash redelivers only
    # the task it was running; tasks are idempotent (the notice ledger, state-based scans).
    worker_prefetch_multiplier=1,
    task_reject_on_worker_lost=True,
    broker_connection_retry_on_startup=True,
)
app.autodiscover_tasks()
