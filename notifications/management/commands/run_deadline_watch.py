"""Run the deadline watch now (the beat schedule runs it every 15 minutes)."""

from django.core.management.base import BaseCommand
from django.utils import timezone

from notifications.services import deadline_watch_run


class Command(BaseCommand):
    help = "Issue deadline notices (near and missed) that have not been issued yet."

    def handle(self, *args, **options) -> None:
        result = deadline_watch_run(now=timezone.now())
        self.stdout.write(
            f"Deadline watch: {result.due} deadline(s) near or missed, {result.notices} new "
            f"notice(s), {result.notifications} notification(s), {result.emails} e-mail(s) sent."
        )
