"""Load realistic demo data (idempotent: a second run changes nothing).

The demo's letters are e-mailed as the services always do, but into an in-memory outbox (the
locmem backend records without printing): the console shows what a newcomer needs, ending with
the logins, not pages of letter e-mails (nor a line per in-process task).
"""

import logging
from collections.abc import Iterator
from contextlib import contextmanager

from django.core import mail
from django.core.management.base import BaseCommand
from django.db import transaction
from django.test.utils import override_settings
from django.utils import timezone

from demo import fos, letters, notifications, remediation, reporting, workday
from demo.complaints import DEMO_PASSWORD, FIRMS, USERS, load_demo

RECORDING_MAILER = {"default": {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"}}
# Celery runs the demo's tasks in-process and logs each one; kombu warns that there is no broker.
QUIET_LOGGERS = ("celery", "kombu")


@contextmanager
def _recording_quietly() -> Iterator[list]:
    """E-mails go to the returned list; the task loggers say only errors."""
    loggers = [logging.getLogger(name) for name in QUIET_LOGGERS]
    levels = [logger.level for logger in loggers]
    saved = getattr(mail, "outbox", None)
    outbox: list = []
    mail.outbox = outbox
    try:
        with override_settings(MAILERS=RECORDING_MAILER):
            for logger in loggers:
                logger.setLevel(logging.ERROR)
            yield outbox
    finally:
        for logger, level in zip(loggers, levels, strict=True):
            logger.setLevel(level)
        if saved is None:
            del mail.outbox
        else:
            mail.outbox = saved


class Command(BaseCommand):
    help = "Create two demo firms, users for every role and ~80 complaints in every state."

    def handle(self, *args, **options) -> None:
        with _recording_quietly() as outbox, transaction.atomic():
            ctx = load_demo(timezone.now())
            # Each capability's records, in the order they build on each other.
            for capability in (letters, remediation, workday, notifications, fos, reporting):
                capability.load(ctx)
        self.stdout.write(self.style.SUCCESS(f"Demo data ready: {len(ctx.complaints)} complaints."))
        if outbox:
            self.stdout.write(
                f"{len(outbox)} demo e-mail(s) recorded, not sent (the letters are on the "
                "complaint pages)."
            )
        self.stdout.write(f"Sign in at http://127.0.0.1:8000/ with password {DEMO_PASSWORD!r} as:")
        names = {f["key"]: f["name"] for f in FIRMS}
        for username, first, last, roles in USERS:
            described = ", ".join(f"{role.label} ({names[firm]})" for firm, role in roles)
            self.stdout.write(f"  {username:<16} {first} {last}: {described}")
