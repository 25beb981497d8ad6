"""Celery tasks: thin. They take IDs (or nothing), capture ``now`` and call a service."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from celery import shared_task
from django.utils import timezone

from common import outbox

from . import emails, retention, services, task_digest


@shared_task(name="notifications.run_deadline_watch")
def run_deadline_watch() -> dict[str, int]:
    return services.deadline_watch_run(now=timezone.now()).as_dict()


@shared_task(name="notifications.check_complaint_deadlines")
def check_complaint_deadlines(complaint_id: int) -> dict[str, int]:
    """The watch for one complaint, queued when it is logged, assigned or its clock changes."""
    return services.deadline_watch_run(now=timezone.now(), complaint_ids=[complaint_id]).as_dict()


@shared_task(name="notifications.send_pending_emails")
def send_pending_emails() -> int:
    return emails.emails_send_pending(now=timezone.now())


@outbox.handler
def send_notification_emails(payload: dict[str, Any], now: datetime) -> str | None:
    """The outbox handler behind a calendar change: send the queued notification e-mails."""
    emails.emails_send_pending(now=now)
    return None


@shared_task(name="notifications.send_supervisor_digest")
def send_supervisor_digest() -> int:
    """The daily digests: the supervisors' deadlines, and each member's tasks due."""
    now = timezone.now()
    return services.supervisor_digest_send(now=now) + task_digest.task_digest_send(now=now)


@shared_task(name="notifications.send_report_reminders")
def send_report_reminders() -> int:
    return services.report_reminders_send(now=timezone.now())


@shared_task(name="notifications.run_retention")
def run_retention(dry_run: bool = False) -> dict[str, int]:
    report = retention.retention_run(now=timezone.now(), actor=None, dry_run=dry_run)
    return {"anonymised": len(report.anonymised), "kept": len(report.kept)}
