"""Sign-in behind a reverse proxy (issue 15 item 4): lockout per user and client address, the
client address read only through a trusted proxy, and a throttled password reset."""

import uuid

import pytest
from axes.models import AccessAttempt
from django.conf import settings
from django.contrib.auth import get_user_model
from django.test import RequestFactory

from audit.signin import client_address
from tests.factories import UserFactory

User = get_user_model()
PROXY = "10.0.0.1"  # the reverse proxy's address, as gunicorn sees it
GOOD = "correct-horse-battery"


@pytest.fixture
def behind_proxy(settings):
    settings.TRUSTED_PROXIES = [PROXY]
    settings.TRUSTED_PROXY_COUNT = 1


@pytest.fixture
def axes_own_proxy_settings(settings):
    """django-axes' own ipware settings as production had them before issue 15: one proxy
    counted in X-Forwarded-For. The trusted-proxy resolver must win over them."""
    settings.AXES_IPWARE_PROXY_COUNT = 1
    settings.AXES_IPWARE_META_PRECEDENCE_ORDER = ["HTTP_X_FORWARDED_FOR", "REMOTE_ADDR"]


@pytest.fixture(autouse=True)
def _own_cache(settings):
    # The throttle's counters in a cache of this test's own (a real local-memory cache).
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": uuid.uuid4().hex,
        }
    }


def _sign_in(client, username, password, *, remote=PROXY, forwarded_for=None):
    extra = {"REMOTE_ADDR": remote}
    if forwarded_for is not None:
        extra["HTTP_X_FORWARDED_FOR"] = forwarded_for
    return client.post("/accounts/login/", {"username": username, "password": password}, **extra)


def _fail_until_locked(client, username, **how):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        response = _sign_in(client, username, "wrong", **how)
    assert response.status_code == 429
    return response


@pytest.mark.django_db
def test_behind_a_trusted_proxy_two_clients_are_told_apart_by_x_forwarded_for(client, behind_proxy):
    UserFactory(username="handler1")
    _fail_until_locked(client, "handler1", forwarded_for="203.0.113.7")
    # Locked for that client, even with the right password ...
    assert _sign_in(client, "handler1", GOOD, forwarded_for="203.0.113.7").status_code == 429
    # ... and what axes recorded is the client's address, not the proxy's.
    assert set(AccessAttempt.objects.values_list("ip_address", flat=True)) == {"203.0.113.7"}
    # Another client behind the same proxy signs in.
    other = _sign_in(client, "handler1", GOOD, forwarded_for="198.51.100.9")
    assert other.status_code == 302 and "_auth_user_id" in client.session


@pytest.mark.django_db
def test_failures_for_a_victim_from_the_attackers_address_do_not_lock_the_victim_elsewhere(
    client, behind_proxy
):
    UserFactory(username="victim")
    for _ in range(3 * settings.AXES_FAILURE_LIMIT):
        _sign_in(client, "victim", "guess", forwarded_for="203.0.113.66")
    assert _sign_in(client, "victim", GOOD, forwarded_for="203.0.113.66").status_code == 429
    response = _sign_in(client, "victim", GOOD, forwarded_for="198.51.100.20")
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(User.objects.get(username="victim").pk)


@pytest.mark.django_db
@pytest.mark.parametrize("proxies", [[], [PROXY]], ids=["no-proxy-configured", "direct-to-app"])
def test_a_client_supplied_x_forwarded_for_from_an_untrusted_address_is_ignored(
    client, settings, axes_own_proxy_settings, proxies
):
    """Straight to the app (not through the trusted proxy): a new X-Forwarded-For on every
    attempt does not make a new address, so the lockout still comes."""
    settings.TRUSTED_PROXIES = proxies
    UserFactory(username="handler1")
    statuses = [
        _sign_in(
            client,
            "handler1",
            "wrong",
            remote="192.0.2.66",
            forwarded_for=f"203.0.113.{i}, 198.51.100.1",
        ).status_code
        for i in range(settings.AXES_FAILURE_LIMIT)
    ]
    assert statuses == [200] * (settings.AXES_FAILURE_LIMIT - 1) + [429]
    response = _sign_in(
        client, "handler1", GOOD, remote="192.0.2.66", forwarded_for="203.0.113.99, 10.0.0.1"
    )
    assert response.status_code == 429
    assert set(AccessAttempt.objects.values_list("ip_address", flat=True)) == {"192.0.2.66"}


@pytest.mark.django_db
def test_a_forwarded_for_forged_through_the_proxy_does_not_dodge_the_lockout(
    client, behind_proxy, axes_own_proxy_settings
):
    """The proxy appends the address it saw; what the client wrote sits to the left of it and
    is never read, however it varies."""
    UserFactory(username="handler1")
    for i in range(settings.AXES_FAILURE_LIMIT):
        response = _sign_in(
            client, "handler1", "wrong", forwarded_for=f"198.51.100.{i}, 203.0.113.66"
        )
    assert response.status_code == 429
    forged = _sign_in(client, "handler1", GOOD, forwarded_for="198.51.100.99, 203.0.113.66")
    assert forged.status_code == 429


@pytest.mark.parametrize(
    ("proxies", "count", "remote", "header", "expected"),
    [
        ([], 1, "192.0.2.1", "203.0.113.5", "192.0.2.1"),
        ([PROXY], 1, "192.0.2.1", "203.0.113.5", "192.0.2.1"),
        ([PROXY], 1, PROXY, "203.0.113.5", "203.0.113.5"),
        ([PROXY], 1, PROXY, "198.51.100.1, 203.0.113.5", "203.0.113.5"),
        ([PROXY], 1, PROXY, "junk, 203.0.113.5", "203.0.113.5"),
        (["10.0.0.0/24"], 2, "10.0.0.7", "198.51.100.1, 203.0.113.5, 10.0.0.8", "203.0.113.5"),
        ([PROXY], 1, PROXY, None, PROXY),
        ([PROXY], 1, f"::ffff:{PROXY}", "203.0.113.5", "203.0.113.5"),
        (["2001:db8::/32"], 1, "2001:db8::1", "2001:db8:1::9, 198.51.100.7", "198.51.100.7"),
    ],
)
def test_client_address_resolution(settings, proxies, count, remote, header, expected):
    settings.TRUSTED_PROXIES = proxies
    settings.TRUSTED_PROXY_COUNT = count
    extra = {"REMOTE_ADDR": remote}
    if header is not None:
        extra["HTTP_X_FORWARDED_FOR"] = header
    assert client_address(RequestFactory().get("/", **extra)) == expected


# --- password reset ------------------------------------------------------------------------


def _reset(client, email, remote):
    return client.post("/accounts/password_reset/", {"email": email}, REMOTE_ADDR=remote)


@pytest.mark.django_db
def test_password_reset_is_throttled_per_address_with_a_clear_429(client, settings, mailoutbox):
    settings.PASSWORD_RESET_LIMIT_PER_ADDRESS = 3
    for i in range(3):
        assert _reset(client, f"someone{i}@example.test", "192.0.2.10").status_code == 302
    response = _reset(client, "someone-else@example.test", "192.0.2.10")
    assert response.status_code == 429
    assert b"Too many password reset requests" in response.content
    assert response["Retry-After"] == str(60 * 60)
    # Another address is not held up.
    assert _reset(client, "someone-else@example.test", "192.0.2.11").status_code == 302


@pytest.mark.django_db
def test_password_reset_is_throttled_per_account_alike_for_unknown_addresses(
    client, settings, mailoutbox
):
    """The per-account limit counts whatever e-mail address is typed, so an existing account and
    an unknown address get the same answers: no way to learn which accounts exist."""
    settings.PASSWORD_RESET_LIMIT_PER_ACCOUNT = 2
    UserFactory(username="handler1", email="handler1@example.test")
    answers = {}
    for email in ("handler1@example.test", "nobody@example.test"):
        answers[email] = [
            _reset(client, email.upper() if n else email, f"192.0.2.{n + 20}") for n in range(3)
        ]
    known, unknown = answers.values()
    assert [r.status_code for r in known] == [302, 302, 429]
    assert [r.status_code for r in unknown] == [302, 302, 429]
    assert known[0]["Location"] == unknown[0]["Location"]
    for refused in (known[2], unknown[2]):
        assert b"Too many password reset requests" in refused.content
        assert b"example.test" not in refused.content
    # Only the two accepted requests sent a link, and only to the real account.
    assert [m.to for m in mailoutbox] == [["handler1@example.test"]] * 2
