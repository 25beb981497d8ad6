"""The root-cause taxonomy page."""

import pytest

from remediation.models import RootCause

pytestmark = pytest.mark.django_db


def test_only_administrators_manage_the_taxonomy(client, supervisor, admin_user, firm):
    client.force_login(supervisor)
    assert client.post("/remediation/root-causes/", {"name": "X"}).status_code == 403
    client.force_login(admin_user)
    assert client.post("/remediation/root-causes/", {"name": "X"}).status_code == 302
    assert RootCause.objects.filter(firm=firm, name="X").exists()
