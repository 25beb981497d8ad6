"""The navigation's "Inbox 7": whether the user may open the inbox in the selected firm, and
how many items it holds. Lazy: a page that never shows the navigation (or an anonymous user)
runs no query; one that does runs the count once (``sections.section_counts``: one query, and
the firm's calendar when a near-breach section is shown)."""

from __future__ import annotations

from functools import cached_property

from django.http import HttpRequest
from django.utils import timezone

from complaints import access

from .sections import InboxScope, section_counts, visible_sections


class InboxNav:
    def __init__(self, request: HttpRequest):
        self.request = request

    @cached_property
    def _membership(self):
        return access.current_membership(self.request)

    @cached_property
    def visible(self) -> bool:
        m = self._membership
        return m is not None and bool(visible_sections(m.role))

    @cached_property
    def count(self) -> int:
        if not self.visible:
            return 0
        m = self._membership
        scope = InboxScope(firm=m.firm, now=timezone.now())
        return sum(section_counts(visible_sections(m.role), scope).values())


def inbox_nav(request: HttpRequest) -> dict[str, InboxNav]:
    """Context processor (listed in settings.TEMPLATES)."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {"inbox_nav": InboxNav(request)}
