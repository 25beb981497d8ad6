"""Who opens the inbox and what the navigation says: supervisors see every section, reporting
officers the returns, firm admins the breaches; handlers get a 403 and no link. The page and
the navigation's count run a constant number of queries, whatever the rows."""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from django.urls import reverse

from complaints.choices import Role
from tests.factories import MembershipFactory, london, make_complaint

from .helpers import submitted_letter

pytestmark = pytest.mark.django_db

NOW = london(2027, 6, 9, 10)


@pytest.mark.parametrize(
    ("role", "sections"),
    [
        (Role.SUPERVISOR, ["letters", "breached", "near", "unassigned", "returns", "fos_week"]),
        (Role.REPORTING_OFFICER, ["returns"]),
        (Role.ADMIN, ["breached", "near"]),
    ],
)
def test_each_role_sees_the_sections_its_permissions_allow(client, firm, role, sections):
    user = MembershipFactory(firm=firm, role=role).user
    with time_machine.travel(NOW, tick=False):
        client.force_login(user)
        page = client.get(reverse("inbox:index"))
        assert page.status_code == 200
        assert [s["section"].key for s in page.context["sections"]] == sections
        assert f'href="{reverse("inbox:index")}"' in page.content.decode()  # the nav link
        assert client.get(reverse("inbox:count")).status_code == 200
        hidden = {"letters", "unassigned", "fos_week"} - set(sections)
        for key in hidden:
            assert client.get(reverse("inbox:index"), {"section": key}).status_code == 404


def test_a_handler_is_refused_and_the_navigation_hides_the_link(client, firm, handler):
    with time_machine.travel(NOW, tick=False):
        client.force_login(handler)
        assert client.get(reverse("inbox:index")).status_code == 403
        assert client.get(reverse("inbox:count")).status_code == 403
        queue = client.get(reverse("complaints:queue"))
    assert queue.status_code == 200
    assert reverse("inbox:index") not in queue.content.decode()
    assert not queue.context["inbox_nav"].visible


def test_the_navigation_counts_what_needs_attention(client, firm, handler, supervisor):
    """The link asks for its badge once the page has loaded (and every two minutes)."""
    make_complaint(firm=firm, received_at=london(2027, 4, 1, 10))  # breached and unassigned
    submitted_letter(firm, handler, london(2027, 5, 3, 10))  # awaiting approval
    with time_machine.travel(NOW, tick=False):
        client.force_login(supervisor)
        body = client.get(reverse("complaints:queue")).content.decode()
        badge = client.get(reverse("inbox:count"), headers={"HX-Request": "true"})
    assert f'hx-get="{reverse("inbox:count")}" hx-trigger="load, every 120s"' in body
    assert badge.content.decode().strip() == (
        '<span class="badge" aria-label="3 need attention">3</span>'
    )


def test_the_navigation_adds_no_query_and_anonymous_visitors_get_nothing(
    rf, supervisor, django_assert_num_queries
):
    """The link's visibility reads the memberships the firm switcher already read; the count
    is a request of its own."""
    from django.contrib.auth.models import AnonymousUser

    from complaints import access
    from inbox.context_processors import inbox_nav

    request = rf.get("/")
    request.user = AnonymousUser()
    with django_assert_num_queries(0):
        assert inbox_nav(request) == {}
    request.user = supervisor
    request.session = {}
    access.memberships(supervisor)  # the firm switcher's context processor reads them
    with django_assert_num_queries(0):
        assert inbox_nav(request)["inbox_nav"].visible


def _fill(firm, handler, n: int) -> None:
    for i in range(n):
        make_complaint(firm=firm, received_at=london(2027, 4, 1, 10) + timedelta(hours=i))
        submitted_letter(firm, handler, london(2027, 5, 3, 10) + timedelta(hours=i))


def test_page_and_count_queries_are_constant_in_the_rows(
    client, firm, handler, supervisor, django_assert_max_num_queries
):
    _fill(firm, handler, 1)
    with time_machine.travel(NOW, tick=False):
        client.force_login(supervisor)
        client.get(reverse("inbox:index"))  # warm the session
        with django_assert_max_num_queries(16) as page_queries:
            client.get(reverse("inbox:index"))
        with django_assert_max_num_queries(6) as count_queries:
            client.get(reverse("inbox:count"))
        _fill(firm, handler, 4)
        with django_assert_max_num_queries(len(page_queries.captured_queries)):
            page = client.get(reverse("inbox:index"))
        with django_assert_max_num_queries(len(count_queries.captured_queries)):
            badge = client.get(reverse("inbox:count"))
    assert page.context["total"] == 5 + 5 + 5  # letters, breached, unassigned
    assert ">15</span>" in badge.content.decode()
