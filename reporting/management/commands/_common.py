"""Argument helpers shared by the reporting commands (one-line errors, non-zero exit)."""

from datetime import date

from django.contrib.auth import get_user_model
from django.core.management.base import CommandError

from complaints.models import Firm


def firm_by_frn(frn: str) -> Firm:
    firm = Firm.objects.prefetch_related("activities").filter(frn=frn).first()
    if firm is None:
        raise CommandError(f"--firm: No firm with FRN {frn!r}.")
    return firm


def iso_date(option: str, value: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise CommandError(f"{option}: {value!r} is not a date (YYYY-MM-DD).") from None


def user_by_username(username: str | None):
    if not username:
        return None
    user = get_user_model().objects.filter(username=username).first()
    if user is None:
        raise CommandError(f"--user: No user {username!r}.")
    return user
