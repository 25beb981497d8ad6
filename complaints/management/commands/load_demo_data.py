"""Load realistic demo data (idempotent: a second run changes nothing)."""

from importlib import import_module

from django.apps import apps
from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone

from complaints.demo import DEMO_PASSWORD, FIRMS, USERS, load_demo


class Command(BaseCommand):
    help = "Create two demo firms, users for every role and ~80 complaints in every state."

    def handle(self, *args, **options) -> None:
        with transaction.atomic():
            ctx = load_demo(timezone.now())
            # Each capability adds its own demo data through its app's demo.load(ctx).
            for config in apps.get_app_configs():
                if config.name == "complaints":
                    continue
                try:
                    module = import_module(f"{config.name}.demo")
                except ModuleNotFoundError:
                    continue
                module.load(ctx)
        self.stdout.write(self.style.SUCCESS(f"Demo data ready: {len(ctx.complaints)} complaints."))
        self.stdout.write(f"Sign in at http://127.0.0.1:8000/ with password {DEMO_PASSWORD!r} as:")
        for username, first, last, roles in USERS:
            names = {f["key"]: f["name"] for f in FIRMS}
            described = ", ".join(f"{role.label} ({names[firm]})" for firm, role in roles)
            self.stdout.write(f"  {username:<16} {first} {last}: {described}")
