"""Remind reporting officers of returns due soon or overdue."""

from django.conf import settings
from django.core.management.base import BaseCommand
from django.utils import timezone

from notifications.services import report_reminders_send


class Command(BaseCommand):
    help = "Remind reporting officers of returns due within N business days, and overdue ones."

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--within",
            type=int,
            default=getattr(settings, "REPORT_REMINDER_BUSINESS_DAYS", 10),
            help="Business days ahead to look (default: REPORT_REMINDER_BUSINESS_DAYS, 10).",
        )

    def handle(self, *args, **options) -> None:
        issued = report_reminders_send(now=timezone.now(), within_business_days=options["within"])
        self.stdout.write(f"Report reminders: {issued} new reminder(s).")
