"""The request a signed-in page receives, typed: what django-htmx's middleware adds and the user
that ``login_required`` guarantees (the stubs' ``HttpRequest`` knows neither)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.http import HttpRequest
from django_htmx.middleware import HtmxDetails

if TYPE_CHECKING:
    from django.contrib.auth.models import User


class AuthenticatedRequest(HttpRequest):
    htmx: HtmxDetails
    user: User
