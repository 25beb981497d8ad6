"""DISP 1.9 retention: anonymise complaints past the firm's retention period."""

from django.core.management.base import BaseCommand
from django.utils import timezone

from notifications.retention import retention_run


class Command(BaseCommand):
    help = (
        "Anonymise complaints past their firm's retention period (DISP 1.9.1R, at least three "
        "years from receipt) that have no hold. --dry-run lists what would happen."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--dry-run", action="store_true", help="List what would happen; change nothing."
        )

    def handle(self, *args, **options) -> None:
        report = retention_run(now=timezone.now(), actor=None, dry_run=options["dry_run"])
        for line in report.lines():
            self.stdout.write(line)
        if report.dry_run:
            self.stdout.write(
                f"Dry run: {len(report.anonymised)} complaint(s) would be anonymised, "
                f"{len(report.kept)} kept. Nothing was changed."
            )
        else:
            self.stdout.write(
                f"Retention: {len(report.anonymised)} complaint(s) anonymised, "
                f"{report.complainants_anonymised} complainant(s) anonymised, "
                f"{len(report.kept)} kept."
            )
