"""Deliver the outbox's pending messages now (the beat schedule sweeps every minute). Needs no
broker: use it from cron, or by hand after an outage."""

from django.core.management.base import BaseCommand
from django.utils import timezone

from common.outbox import sweep


class Command(BaseCommand):
    help = "Deliver every pending outbox message that is due (letters to e-mail, announcements)."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--limit", type=int, default=500, help="At most this many messages.")

    def handle(self, *args, **options) -> None:
        result = sweep(now=timezone.now(), limit=options["limit"])
        self.stdout.write(
            f"Outbox: {result.delivered} delivered, {result.retrying} to retry later, "
            f"{result.failed} given up."
        )
