"""Menus show only what the role may open (issue 16): for every role, every link of the main
menu opens (200), so the menu never leads to a bare 403 page."""

import re

import pytest

from complaints.access import ROLE_PERMISSIONS
from complaints.choices import Role
from complaints.context_processors import MENU
from tests.factories import MembershipFactory

pytestmark = pytest.mark.django_db


def _menu(page: str) -> dict[str, str]:
    nav = page.split('<nav class="topbar__nav" aria-label="Main">')[1].split("</nav>")[0]
    return dict(
        (label, url) for url, label in re.findall(r'<a href="([^"]+)"[^>]*>([^<]+)</a>', nav)
    )


@pytest.mark.parametrize("role", list(Role))
def test_every_menu_link_of_every_role_opens(client, firm, settings, role):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    client.force_login(MembershipFactory(firm=firm, role=role).user)
    links = _menu(client.get("/calculator/").content.decode())
    allowed = ROLE_PERMISSIONS[role]
    assert list(links) == [label for _, label, perm in MENU if perm in allowed]
    for label, url in links.items():
        response = client.get(url, follow=True)  # Returns goes on to the firm's own page
        assert response.status_code == 200, (role, label, url)


def test_a_handler_sees_no_mi_or_returns_and_a_reporting_officer_cannot_log(client, firm):
    client.force_login(MembershipFactory(firm=firm, role=Role.HANDLER).user)
    handler_menu = _menu(client.get("/calculator/").content.decode())
    assert "MI" not in handler_menu and "Returns" not in handler_menu
    assert "Log a complaint" in handler_menu
    client.force_login(MembershipFactory(firm=firm, role=Role.REPORTING_OFFICER).user)
    officer_menu = _menu(client.get("/calculator/").content.decode())
    assert "Log a complaint" not in officer_menu and "Returns" in officer_menu
