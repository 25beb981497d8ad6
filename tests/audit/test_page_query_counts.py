"""The audit pages that list history issue the same queries at 2 entries and at 6 (issue 18:
query-count tests guard every page): a complaint's audit trail and a colleague's activity."""

from __future__ import annotations

import pytest
from django.urls import reverse

from complaints import services
from tests.factories import london, make_complaint
from tests.query_counts import count_get

pytestmark = pytest.mark.django_db

NOW = london(2026, 6, 1, 9, 0)


def _notes(complaint, actor, start: int, stop: int) -> None:
    for n in range(start, stop):
        services.complaint_add_note(complaint_id=complaint.pk, actor=actor, now=NOW, body=f"N{n}")


@pytest.mark.parametrize("page", ["audit:complaint", "audit:user_activity"])
def test_audit_pages_same_queries_at_2_and_6_entries(client, firm, handler, supervisor, page):
    c = make_complaint(firm=firm, received_at=london(2026, 5, 28, 10), actor=handler)
    args = {"audit:complaint": [c.pk], "audit:user_activity": [handler.pk]}[page]
    url = reverse(page, args=args)
    client.force_login(supervisor)
    _notes(c, handler, 0, 2)
    client.get(url)  # warm the session
    small = count_get(client, url)[0]
    _notes(c, handler, 2, 6)
    assert count_get(client, url)[0] == small
