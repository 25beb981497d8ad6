"""Send today's task digests (the beat schedule sends them every weekday morning)."""

from django.core.management.base import BaseCommand
from django.utils import timezone

from notifications.task_digest import task_digest_send


class Command(BaseCommand):
    help = "Send each member their open tasks overdue or due today (once a day per firm)."

    def handle(self, *args, **options) -> None:
        issued = task_digest_send(now=timezone.now())
        self.stdout.write(f"Task digest: {issued} digest(s) issued.")
