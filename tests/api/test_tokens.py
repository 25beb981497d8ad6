"""Per-user API tokens: issued by an administrator (admin or command), shown once, stored only
as a hash, revocable at once."""

import re

import pytest
from django.core.management import call_command
from django.urls import reverse
from rest_framework.test import APIClient

from common.models import ApiToken
from common.tokens import api_token_issue, api_token_revoke, hash_token
from tests.api.conftest import NOW
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def bearer(clear):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {clear}")
    return client


def test_only_the_hash_is_stored_and_the_prefix_identifies_it(handler):
    issued = api_token_issue(user=handler, name="CRM", actor=None, now=NOW)
    token = ApiToken.objects.get()
    assert issued.clear.startswith(token.prefix)
    assert token.token_hash == hash_token(issued.clear)
    assert issued.clear not in str(ApiToken.objects.values().get())


def test_token_authenticates_records_use_and_revocation_is_immediate(handler):
    issued = api_token_issue(user=handler, name="CRM", actor=None, now=NOW)
    client = bearer(issued.clear)
    assert client.get("/api/complaints/").status_code == 200
    assert ApiToken.objects.get().last_used_at == NOW
    api_token_revoke(token_id=issued.token.pk, actor=None, now=NOW)
    response = client.get("/api/complaints/")
    assert response.status_code == 401
    assert response.json() == {
        "code": "not_authenticated",
        "message": "This token has been revoked.",
        "fields": {},
    }
    assert ApiToken.history.filter(history_change_reason="api_token.revoke").exists()


def test_tampered_token_and_inactive_user_are_401(handler):
    issued = api_token_issue(user=handler, name="CRM", actor=None, now=NOW)
    tampered = issued.clear[:-1] + ("B" if issued.clear.endswith("A") else "A")
    assert bearer(tampered).get("/api/complaints/").status_code == 401
    handler.is_active = False
    handler.save()
    assert bearer(issued.clear).get("/api/complaints/").status_code == 401


def test_admin_issues_shows_once_and_revokes(client, handler):
    admin = UserFactory(is_staff=True, is_superuser=True)
    client.force_login(admin)
    response = client.post(
        reverse("admin:common_apitoken_add"), {"user": handler.pk, "name": "Web form"}
    )
    assert response.status_code == 200
    clear = re.search(rb"<code data-token>(dcm_[^<]+)</code>", response.content).group(1).decode()
    token = ApiToken.objects.get()
    assert token.created_by == admin
    assert bearer(clear).get("/api/complaints/").status_code == 200
    listing = client.get(reverse("admin:common_apitoken_changelist"))
    assert token.prefix.encode() in listing.content
    assert clear.encode() not in listing.content
    client.post(
        reverse("admin:common_apitoken_changelist"),
        {"action": "revoke_tokens", "_selected_action": [token.pk]},
    )
    token.refresh_from_db()
    assert token.revoked_by == admin
    assert bearer(clear).get("/api/complaints/").status_code == 401


def test_admin_reissue_revokes_and_issues_a_replacement(client, handler):
    admin = UserFactory(is_staff=True, is_superuser=True)
    client.force_login(admin)
    old = api_token_issue(user=handler, name="CRM", actor=None, now=NOW)
    response = client.post(
        reverse("admin:common_apitoken_changelist"),
        {"action": "reissue_tokens", "_selected_action": [old.token.pk]},
    )
    new_clear = re.search(rb"<code data-token>(dcm_[^<]+)</code>", response.content).group(1)
    assert bearer(old.clear).get("/api/complaints/").status_code == 401
    assert bearer(new_clear.decode()).get("/api/complaints/").status_code == 200


def test_command_issues_lists_and_revokes(handler, capsys):
    call_command("api_token", "issue", handler.username, "--name", "CRM")
    clear = capsys.readouterr().out.strip()
    assert bearer(clear).get("/api/complaints/").status_code == 200
    prefix = ApiToken.objects.get().prefix
    call_command("api_token", "list")
    assert prefix in capsys.readouterr().out
    call_command("api_token", "revoke", prefix)
    assert bearer(clear).get("/api/complaints/").status_code == 401
