"""Every remediation page renders."""

import pytest

pytestmark = pytest.mark.django_db


def test_pages_render_for_a_supervisor(client, firm, supervisor):
    client.force_login(supervisor)
    for url in (
        "/remediation/incidents/",
        "/remediation/actions/",
        "/remediation/redress/",
        "/remediation/root-causes/",
        "/remediation/",
    ):
        assert client.get(url).status_code == 200, url
