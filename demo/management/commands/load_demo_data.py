"""Load realistic demo data (idempotent: a second run changes nothing)."""

from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone

from demo import fos, letters, notifications, remediation, reporting
from demo.complaints import DEMO_PASSWORD, FIRMS, USERS, load_demo


class Command(BaseCommand):
    help = "Create two demo firms, users for every role and ~80 complaints in every state."

    def handle(self, *args, **options) -> None:
        with transaction.atomic():
            ctx = load_demo(timezone.now())
            # Each capability's records, in the order they build on each other.
            for capability in (letters, remediation, notifications, fos, reporting):
                capability.load(ctx)
        self.stdout.write(self.style.SUCCESS(f"Demo data ready: {len(ctx.complaints)} complaints."))
        self.stdout.write(f"Sign in at http://127.0.0.1:8000/ with password {DEMO_PASSWORD!r} as:")
        for username, first, last, roles in USERS:
            names = {f["key"]: f["name"] for f in FIRMS}
            described = ", ".join(f"{role.label} ({names[firm]})" for firm, role in roles)
            self.stdout.write(f"  {username:<16} {first} {last}: {described}")
