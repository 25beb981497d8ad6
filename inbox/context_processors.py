"""Whether the navigation shows the inbox link: the selected firm's role sees a section of it.

No query of its own (the memberships are the firm switcher's, read once per request), and none
for an anonymous visitor. The count beside the link ("Inbox 7") is not computed here: the link
asks ``inbox:count`` for it once the page has loaded (htmx) and again every two minutes, so a
page costs no counting query and the number moves when something arrives.
"""

from __future__ import annotations

from functools import cached_property

from django.http import HttpRequest

from complaints import access

from .sections import visible_sections


class InboxNav:
    def __init__(self, request: HttpRequest):
        self.request = request

    @cached_property
    def visible(self) -> bool:
        m = access.current_membership(self.request)
        return m is not None and bool(visible_sections(m.role))


def inbox_nav(request: HttpRequest) -> dict[str, InboxNav]:
    """Context processor (listed in settings.TEMPLATES)."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {"inbox_nav": InboxNav(request)}
