"""The mailbox API: a firm administrator reads, sets and tests it; the password is write-only
and stored encrypted; other roles are refused and other firms are a 404."""

from __future__ import annotations

import pytest

from mailroom.crypto import decrypt
from mailroom.models import Mailbox
from tests.api.conftest import client_for
from tests.factories import FirmFactory, MembershipFactory

from .conftest import PASSWORD, USER

pytestmark = [pytest.mark.django_db, pytest.mark.xdist_group("mailroom")]


def test_an_administrator_sets_reads_and_tests_the_mailbox_through_the_api(firm, handler, dovecot):
    admin = MembershipFactory(firm=firm, role="admin").user
    api = client_for(admin)
    url = f"/api/firms/{firm.pk}/mailbox/"
    assert api.get(url).json()["configured"] is False
    untested = api.post(f"{url}test/")
    assert untested.status_code == 400 and untested.json()["code"] == "mailbox_not_set_up"

    body = {
        "address": "complaints@firm.test",
        "host": "127.0.0.1",
        "port": dovecot.port,
        "security": "none",
        "username": USER,
        "folder": "INBOX",
    }
    refused = api.put(url, body, format="json")  # the first time, a password is required
    assert refused.status_code == 400 and "password" in refused.json()["fields"]
    saved = api.put(url, {**body, "password": PASSWORD}, format="json")
    assert saved.status_code == 200, saved.json()
    assert saved.json()["has_password"] is True and "password" not in saved.json()
    assert decrypt(Mailbox.objects.get(firm=firm).password_encrypted) == PASSWORD

    tested = api.post(f"{url}test/")
    assert tested.status_code == 200 and tested.json()["detail"].startswith("Connected to")
    api.put(url, {**body, "password": "not-it"}, format="json")
    failed = api.post(f"{url}test/")
    assert failed.status_code == 400
    assert (
        failed.json()["code"] == "mailbox_connection_failed" and "host" in failed.json()["fields"]
    )

    assert client_for(handler).get(url).status_code == 403
    other = FirmFactory()
    assert api.get(f"/api/firms/{other.pk}/mailbox/").status_code == 404
