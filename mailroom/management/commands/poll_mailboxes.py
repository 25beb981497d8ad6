"""Read every enabled complaints mailbox now (the beat schedule does it every two minutes)."""

from django.core.management.base import BaseCommand
from django.utils import timezone

from mailroom.models import Mailbox
from mailroom.poller import poll


class Command(BaseCommand):
    help = "Import what is new in each firm's complaints mailbox (IMAP)."

    def handle(self, *args, **options) -> None:
        for mailbox in Mailbox.objects.filter(enabled=True).select_related("firm"):
            result = poll(mailbox.pk, now=timezone.now())
            problem = f"; problem: {result.errors[0]}" if result.errors else ""
            self.stdout.write(
                f"{mailbox.firm.name}: {result.imported} imported, {result.filed} filed on "
                f"complaints, {result.skipped} already imported{problem}."
            )
