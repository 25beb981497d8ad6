"""Send today's supervisor digest (the beat schedule sends it every weekday morning)."""

from django.core.management.base import BaseCommand
from django.utils import timezone

from notifications.services import supervisor_digest_send
from notifications.task_digest import task_digest_send


class Command(BaseCommand):
    help = (
        "Send each firm's supervisors today's list of missed and near deadlines, and each "
        "member their tasks overdue or due today (once a day)."
    )

    def handle(self, *args, **options) -> None:
        now = timezone.now()
        issued = supervisor_digest_send(now=now)
        self.stdout.write(f"Supervisor digest: {issued} firm digest(s) issued.")
        self.stdout.write(f"Task digest: {task_digest_send(now=now)} digest(s) issued.")
