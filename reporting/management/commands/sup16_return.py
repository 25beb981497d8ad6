"""``manage.py sup16_return --firm FRN --period-end YYYY-MM-DD --format json``.

Computes a new version of the firm's SUP 16.34.6R return for the period (the same service as the
UI) and prints its figures. ``null`` stands for a figure the firm is exempt from (A12) or that
needs a client position snapshot not yet loaded.
"""

import json

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from common.errors import DomainError
from reporting.exports import return_payload
from reporting.services import return_compute

from ._common import firm_by_frn, iso_date, user_by_username


class Command(BaseCommand):
    help = "Compute a firm's SUP 16.34.6R quarterly return and print it."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--firm", required=True, help="The firm's FRN")
        parser.add_argument("--period-end", required=True, help="Reference date, YYYY-MM-DD")
        parser.add_argument("--format", default="json", choices=["json", "text"])
        parser.add_argument("--basis", choices=["event", "cohort"], help="Override A9 basis")
        parser.add_argument("--user", help="Record the computation as done by this username")

    def handle(self, *args, **opts) -> None:
        firm = firm_by_frn(opts["firm"])
        period_end = iso_date("--period-end", opts["period_end"])
        try:
            version = return_compute(
                firm=firm,
                period_end=period_end,
                actor=user_by_username(opts.get("user")),
                now=timezone.now(),
                basis=opts.get("basis"),
            )
        except DomainError as exc:
            raise CommandError(exc.message) from None
        payload = return_payload(version)
        if opts["format"] == "json":
            self.stdout.write(json.dumps(payload, indent=2))
            return
        for key, value in payload.items():
            if not isinstance(value, dict | list):
                self.stdout.write(f"{key}: {'null' if value is None else value}")
