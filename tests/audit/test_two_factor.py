"""Two-factor sign-in (issue 15 item 5): TOTP with single-use recovery codes, required of every
member of a firm that asks for it; the API's tokens are machine credentials and unaffected."""

from __future__ import annotations

import uuid

import pytest
from allauth.mfa import app_settings
from allauth.mfa.models import Authenticator
from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
from axes.models import AccessLog

from audit.twofactor import TWO_FACTOR_REQUIRED
from common.errors import PermissionDeniedError
from complaints.choices import Role
from complaints.services import firm_set_require_two_factor, member_reset_two_factor
from tests.api.conftest import client_for
from tests.audit.two_factor import enrol, sign_in, totp
from tests.factories import FirmFactory, MembershipFactory, UserFactory, london

NOW = london(2026, 4, 8, 10)


@pytest.fixture(autouse=True)
def _own_cache_and_one_period_of_drift(settings):
    # A code is refused a second time within its period (allauth keeps used codes in the
    # cache): each test its own cache. A tolerance of one period lets a test enrol with this
    # period's code and sign in with the next one.
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": uuid.uuid4().hex,
        }
    }
    settings.MFA_TOTP_TOLERANCE = 1


@pytest.fixture
def strict_firm(db):
    return FirmFactory(name="Strict Crypto Ltd", require_two_factor=True)


@pytest.fixture
def member(strict_firm):
    return MembershipFactory(firm=strict_firm, role=Role.HANDLER).user


@pytest.mark.django_db
def test_a_firm_requiring_two_factor_lets_no_password_only_member_past_setting_it_up(
    client, member
):
    signed_in = sign_in(client, member)
    assert signed_in.status_code == 302 and "_auth_user_id" in client.session
    # Every page sends them to set it up ...
    for path in ("/", "/notifications/", "/audit/"):
        response = client.get(path)
        assert response.status_code == 302, path
        assert response["Location"] == "/accounts/2fa/totp/activate/"
    # ... the API in this session answers 403 with the code ...
    api = client.get("/api/complaints/")
    assert api.status_code == 403 and api.json()["code"] == TWO_FACTOR_REQUIRED
    # ... and setting it up works (after the password again, as allauth asks before a change).
    enrol(client)
    assert client.get("/api/complaints/").status_code == 200


@pytest.mark.django_db
def test_a_firm_not_requiring_it_lets_a_password_only_member_in(client):
    user = MembershipFactory(firm=FirmFactory(), role=Role.HANDLER).user
    sign_in(client, user)
    assert client.get("/api/complaints/").status_code == 200


@pytest.mark.django_db
def test_api_tokens_are_machine_credentials_and_not_asked_for_a_second_factor(member):
    response = client_for(member).get("/api/complaints/")
    assert response.status_code == 200


@pytest.mark.django_db
def test_once_set_up_sign_in_asks_for_the_code_and_only_a_right_code_gets_in(client, member):
    sign_in(client, member)
    secret = enrol(client)
    assert client.get("/api/complaints/").status_code == 200
    client.post("/accounts/logout/")
    sign_ins = AccessLog.objects.filter(username=member.username)
    logged = sign_ins.count()

    # The password alone is not a session (nor a sign-in in the log): the code page comes next.
    response = sign_in(client, member)
    assert response.status_code == 302 and response["Location"] == "/accounts/2fa/authenticate/"
    assert "_auth_user_id" not in client.session and sign_ins.count() == logged
    assert client.get("/api/complaints/").status_code in (401, 403)

    wrong = client.post("/accounts/2fa/authenticate/", {"code": "000000"})
    assert wrong.status_code == 200 and "_auth_user_id" not in client.session
    right = client.post("/accounts/2fa/authenticate/", {"code": totp(secret, step=1)})
    assert right.status_code == 302 and "_auth_user_id" in client.session
    assert client.get("/api/complaints/").status_code == 200
    assert sign_ins.count() == logged + 1  # the sign-in log (django-axes) has it


@pytest.mark.django_db
def test_five_wrong_codes_stop_the_code_step_for_that_user_even_for_a_right_code(client, member):
    sign_in(client, member)
    secret = enrol(client)
    client.post("/accounts/logout/")
    sign_in(client, member)
    for _ in range(5):
        wrong = client.post("/accounts/2fa/authenticate/", {"code": "000000"})
        assert "Incorrect code" in wrong.content.decode()
    right = client.post("/accounts/2fa/authenticate/", {"code": totp(secret, step=1)})
    assert right.status_code == 200 and "_auth_user_id" not in client.session
    assert "Too many failed login attempts" in right.content.decode()


@pytest.mark.django_db
def test_a_recovery_code_signs_in_once_and_never_again(client, member):
    sign_in(client, member)
    enrol(client)
    codes = RecoveryCodes(Authenticator.objects.get(user=member, type="recovery_codes"))
    code = codes.get_unused_codes()[0]
    assert len(codes.get_unused_codes()) == app_settings.RECOVERY_CODE_COUNT
    client.post("/accounts/logout/")

    sign_in(client, member)
    used = client.post("/accounts/2fa/authenticate/", {"code": code})
    assert used.status_code == 302 and "_auth_user_id" in client.session
    client.post("/accounts/logout/")

    sign_in(client, member)
    again = client.post("/accounts/2fa/authenticate/", {"code": code})
    assert again.status_code == 200 and "_auth_user_id" not in client.session
    assert "Incorrect code" in again.content.decode()


@pytest.mark.django_db
def test_a_firm_administrator_resets_a_members_two_factor_and_it_is_audited(client, member):
    sign_in(client, member)
    enrol(client)
    client.post("/accounts/logout/")
    admin = MembershipFactory(firm=member.memberships.get().firm, role=Role.ADMIN).user
    firm_id = member.memberships.get().firm_id

    membership = member_reset_two_factor(firm_id=firm_id, user_id=member.pk, actor=admin, now=NOW)

    assert not Authenticator.objects.filter(user=member).exists()
    last = membership.history.first()
    assert last.history_change_reason == "membership.two_factor_reset"
    assert last.history_user == admin and last.two_factor_reset_at == NOW
    # The member signs in with the password and is sent to set it up again.
    assert sign_in(client, member)["Location"] == "/"
    assert client.get("/")["Location"] == "/accounts/2fa/totp/activate/"


@pytest.mark.django_db
@pytest.mark.parametrize("role", [Role.HANDLER, Role.SUPERVISOR, Role.REPORTING_OFFICER])
def test_only_a_firm_administrator_resets_two_factor_or_changes_the_requirement(role, member):
    firm_id = member.memberships.get().firm_id
    colleague = MembershipFactory(firm_id=firm_id, role=role).user
    with pytest.raises(PermissionDeniedError):
        member_reset_two_factor(firm_id=firm_id, user_id=member.pk, actor=colleague, now=NOW)
    with pytest.raises(PermissionDeniedError):
        firm_set_require_two_factor(
            firm_id=firm_id, actor=colleague, now=NOW, require_two_factor=False
        )


@pytest.mark.django_db
def test_an_administrator_of_another_firm_cannot_reset_a_member(member):
    outsider = MembershipFactory(firm=FirmFactory(), role=Role.ADMIN).user
    firm_id = member.memberships.get().firm_id
    with pytest.raises(PermissionDeniedError):
        member_reset_two_factor(firm_id=firm_id, user_id=member.pk, actor=outsider, now=NOW)


@pytest.mark.django_db
def test_requiring_two_factor_is_kept_in_the_firms_history(client):
    firm = FirmFactory()
    admin = MembershipFactory(firm=firm, role=Role.ADMIN, user=UserFactory()).user
    firm_set_require_two_factor(firm_id=firm.pk, actor=admin, now=NOW, require_two_factor=True)
    last = firm.history.first()
    assert last.require_two_factor and last.history_change_reason == "firm.require_two_factor"
    assert last.history_user == admin


@pytest.mark.django_db
def test_the_django_admin_has_no_password_only_sign_in_of_its_own(client):
    response = client.get("/admin/login/?next=/admin/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")
    refused = client.post("/admin/login/", {"username": "x", "password": "y"})
    assert refused.status_code == 302 and "_auth_user_id" not in client.session
