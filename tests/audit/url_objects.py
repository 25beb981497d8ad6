"""How the URL isolation test fills URL kwargs. EXTEND THIS when you add a URL.

``tests/audit/test_url_isolation.py`` requests every URL pattern as each role of the owning
firm and as users of another firm. It must know what to put in each URL kwarg: an object built
in the owning firm (``Kw(factory)``), or a plain value (``Kw(factory, scoped=False)``, e.g. a
format or a year). A URL whose kwargs it cannot fill FAILS the test, so a new URL cannot escape
the firm-isolation check.

- ``URL_KWARGS``: kwarg name -> Kw, for every URL.
- ``URL_NAME_KWARGS``: "namespace:name" -> {kwarg -> Kw}, for a URL whose kwarg means something
  else (e.g. ``{"fos:referral_detail": {"pk": Kw(lambda ctx: make_referral(ctx).pk)}}``).
- ``PUBLIC_URLS``: URL names anyone may open (sign-in, password reset).
- ``LOGIN_ONLY_URLS``: URL names any signed-in user may use, holding no firm data, with why.

A factory gets a ``UrlContext``: ``ctx.firm`` (the owning firm), ``ctx.complaint`` (a complaint
of that firm whose complainant is the leak marker), ``ctx.member`` (a handler of the firm),
``ctx.actor`` (a supervisor of the firm) and ``ctx.now``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from functools import cached_property
from typing import Any

from complaints.services import ComplainantData, complainant_create
from tests.factories import MembershipFactory, UserFactory, london, make_complaint

# Text that only exists in the owning firm's data: if a user of another firm ever sees it,
# something leaked.
LEAK_NAME = "Zebedee Leakcheck"
LEAK_EMAIL = "zebedee.leakcheck@example.test"


@dataclass(frozen=True)
class Kw:
    factory: Callable[[UrlContext], Any]
    scoped: bool = True  # an object of the owning firm: other firms must get a 404


@dataclass
class UrlContext:
    firm: Any
    now: datetime = field(default_factory=lambda: london(2026, 4, 8, 10))

    @cached_property
    def actor(self):
        return MembershipFactory(firm=self.firm, role="supervisor").user

    @cached_property
    def member(self):
        return MembershipFactory(firm=self.firm, role="handler", user=UserFactory()).user

    @cached_property
    def complaint(self):
        person = complainant_create(
            firm=self.firm,
            actor=self.actor,
            data=ComplainantData(name=LEAK_NAME, email=LEAK_EMAIL, phone="07700 900123"),
        )
        return make_complaint(
            firm=self.firm,
            received_at=london(2026, 4, 6, 10),
            actor=self.actor,
            complainant=person,
        )

    @property
    def leak_markers(self) -> list[str]:
        return [LEAK_NAME, LEAK_EMAIL, self.complaint.reference]


URL_KWARGS: dict[str, Kw] = {
    "complaint_id": Kw(lambda ctx: ctx.complaint.pk),
    # "pk" means a complaint unless the URL is listed in URL_NAME_KWARGS.
    "pk": Kw(lambda ctx: ctx.complaint.pk),
    "user_id": Kw(lambda ctx: ctx.member.pk),
    "format": Kw(lambda ctx: "json", scoped=False),
}

URL_NAME_KWARGS: dict[str, dict[str, Kw]] = {}

PUBLIC_URLS: set[str] = {
    "login",
    "password_reset",
    "password_reset_done",
    "password_reset_confirm",
    "password_reset_complete",
}

LOGIN_ONLY_URLS: dict[str, str] = {
    "logout": "ends the user's own session",
    "password_change": "the user's own password",
    "password_change_done": "confirmation page, no data",
}
