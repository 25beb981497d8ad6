"""Every periodic job is a management command and a task in the static beat schedule."""

import pytest
from django.conf import settings
from django.core.management import call_command

from config.celery import app
from notifications.models import Notification
from tests.factories import london, make_complaint

pytestmark = pytest.mark.django_db


def test_beat_schedule_declares_every_job_and_each_task_is_registered():
    app.loader.import_default_modules()
    tasks = {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}
    assert tasks == {
        "notifications.run_deadline_watch",
        "notifications.send_supervisor_digest",
        "notifications.send_report_reminders",
        "notifications.run_retention",
        "notifications.send_pending_emails",
        "common.sweep_outbox",
        "mailroom.poll_mailboxes",
    }
    assert tasks <= set(app.tasks)
    assert app.conf.beat_schedule["deadline-watch"]["schedule"].minute == set(range(0, 60, 15))


@pytest.mark.parametrize(
    ("command", "args", "expected"),
    [
        ("run_deadline_watch", [], "Deadline watch:"),
        ("send_supervisor_digest", [], "Supervisor digest:"),
        ("send_report_reminders", ["--within", "5"], "Report reminders:"),
        ("run_retention", [], "Retention:"),
        ("run_retention", ["--dry-run"], "Dry run:"),
        ("sweep_outbox", [], "Outbox:"),
    ],
)
def test_commands_run(command, args, expected, firm, owner, capsys):
    make_complaint(firm=firm, received_at=london(2026, 4, 2, 10), owner_id=owner.pk)
    call_command(command, *args)
    assert expected in capsys.readouterr().out


def test_demo_load_runs_the_watch_so_demo_users_see_notifications(firm, owner):
    from demo import notifications as demo
    from demo.complaints import DemoContext

    make_complaint(firm=firm, received_at=london(2026, 4, 2, 10), owner_id=owner.pk)
    demo.load(DemoContext(now=london(2026, 4, 9, 10)))
    assert Notification.objects.filter(recipient=owner).exists()
