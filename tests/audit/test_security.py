"""Sign-in hardening, production settings, and personal data kept out of logs and reports."""

import logging
import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.test import RequestFactory
from django.views.debug import ExceptionReporter

from common.logging import RedactPersonalDataFilter, redact
from complaints.models import Complainant
from tests.factories import UserFactory

ROOT = Path(__file__).resolve().parents[2]

# Personal data of a complainant, kept away from the raising code below so the report's source
# excerpts cannot contain it either.
PERSON = {
    "name": "Philippa Quartermaine",
    "email": "philippa.q@example.test",
    "phone": "07700 900123",
    "landline": "+44 (0)20 7946 0958",
    "postcode": "SW1A 1AA",
}


@pytest.mark.django_db
def test_five_failed_sign_ins_lock_the_username_from_that_address(client):
    user = UserFactory(username="handler1")
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        response = client.post("/accounts/login/", {"username": "handler1", "password": "nope"})
        assert response.status_code == 200  # the form again, with its error
    response = client.post("/accounts/login/", {"username": "handler1", "password": "nope"})
    assert response.status_code == 429
    assert b"Sign-in temporarily locked" in response.content
    assert b"30 minutes" in response.content
    # Locked even with the right password, until the cool-off ends.
    response = client.post(
        "/accounts/login/", {"username": "handler1", "password": "correct-horse-battery"}
    )
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session
    # Another address is not locked out for this username (username + address pair).
    other = client.post(
        "/accounts/login/",
        {"username": "handler1", "password": "correct-horse-battery"},
        REMOTE_ADDR="10.0.0.9",
    )
    assert other.status_code == 302 and client.session["_auth_user_id"] == str(user.pk)


def test_lockout_and_session_settings():
    assert settings.AXES_FAILURE_LIMIT == 5
    assert settings.AXES_COOLOFF_TIME.total_seconds() == 30 * 60
    assert settings.AXES_LOCKOUT_PARAMETERS == [["username", "ip_address"]]
    assert settings.AUTHENTICATION_BACKENDS[0] == "axes.backends.AxesStandaloneBackend"
    assert settings.MIDDLEWARE[-1] == "axes.middleware.AxesMiddleware"
    assert settings.SESSION_COOKIE_AGE == 8 * 60 * 60
    assert settings.SESSION_EXPIRE_AT_BROWSER_CLOSE is True
    assert settings.SESSION_COOKIE_HTTPONLY is True
    assert settings.X_FRAME_OPTIONS == "DENY"


@pytest.mark.django_db
def test_security_headers_on_every_page(client):
    response = client.get("/accounts/login/")
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"


def _production_env(**extra):
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in {"DEBUG", "SECRET_KEY", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    }
    env.update(
        DJANGO_ENV="production",
        SECRET_KEY=secrets.token_urlsafe(64),
        ALLOWED_HOSTS="example.com",
        DATABASE_URL="sqlite:////tmp/deploy-check.sqlite3",
        CELERY_BROKER_URL="redis://127.0.0.1:6379/15",
    )
    env.pop("DEMO_CLOCK", None)
    for name, value in extra.items():
        if value is None:
            env.pop(name, None)
        else:
            env[name] = value
    return env


def _manage(*args, env):
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )


def test_check_deploy_is_clean_with_production_settings():
    result = _manage("check", "--deploy", "--fail-level", "WARNING", env=_production_env())
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


@pytest.mark.parametrize(
    ("setting", "bad"),
    [
        ("SECRET_KEY", {"SECRET_KEY": "s3cr3t-but-only-31-characters.."}),
        ("SECRET_KEY", {"SECRET_KEY": "dev-only-insecure-key-do-not-use-in-production"}),
        ("SECRET_KEY", {"SECRET_KEY": "django-insecure-" + secrets.token_urlsafe(48)}),
        ("SECRET_KEY", {"SECRET_KEY": "ab" * 40}),
        ("SECRET_KEY", {"SECRET_KEY": None}),
        ("DATABASE_URL", {"DATABASE_URL": None}),
        ("DATABASE_URL", {"DATABASE_URL": ""}),
        ("CELERY_BROKER_URL", {"CELERY_BROKER_URL": None}),
        ("ALLOWED_HOSTS", {"ALLOWED_HOSTS": None}),
        ("DEMO_CLOCK", {"DEMO_CLOCK": "regime"}),
    ],
    ids=[
        "short-key",
        "dev-default-key",
        "django-insecure-key",
        "few-distinct-characters",
        "no-key",
        "no-database-url",
        "empty-database-url",
        "no-broker",
        "no-allowed-hosts",
        "demo-clock",
    ],
)
def test_production_refuses_to_start_with_a_weak_or_missing_setting(setting, bad):
    """Issue 15 item 7: no silent SQLite, no silent in-process tasks, no guessable key. Loading
    the settings fails with one line naming the setting."""
    result = _manage("check", env=_production_env(**bad))
    assert result.returncode != 0
    last = result.stderr.strip().splitlines()[-1]
    assert last.startswith("django.core.exceptions.ImproperlyConfigured: DJANGO_ENV=production")
    assert setting in last, last


def test_production_settings_are_secure():
    code = (
        "from django.conf import settings as s;"
        "print(s.SECURE_SSL_REDIRECT, s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE,"
        " s.SECURE_HSTS_SECONDS >= 31536000, s.SESSION_COOKIE_HTTPONLY, s.DEBUG)"
    )
    result = _manage("shell", "-c", code, env=_production_env())
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[-1].split() == ["True"] * 5 + ["False"]


# --- personal data in logs --------------------------------------------------------------


def test_redact_patterns():
    text = (
        f"{PERSON['email']} rang from {PERSON['phone']} and {PERSON['landline']}, "
        f"lives at {PERSON['postcode']} / sw1a1aa; ref NTH-2026-00042 on 2026-04-06 10:00:01"
    )
    out = redact(text)
    for value in (PERSON["email"], PERSON["phone"], PERSON["landline"], "SW1A 1AA", "sw1a1aa"):
        assert value not in out
    # References, dates and times are not mistaken for phone numbers or postcodes.
    assert "NTH-2026-00042" in out and "2026-04-06 10:00:01" in out


def test_every_logging_handler_redacts():
    handlers = settings.LOGGING["handlers"]
    assert handlers and all("redact_personal_data" in h["filters"] for h in handlers.values())
    configured = set()
    for logger in [logging.getLogger(), *map(logging.getLogger, logging.root.manager.loggerDict)]:
        for handler in getattr(logger, "handlers", []):
            if isinstance(handler, logging.NullHandler) or type(handler).__module__.startswith(
                ("_pytest", "pytest")
            ):
                continue
            configured.add(handler)
            assert any(isinstance(f, RedactPersonalDataFilter) for f in handler.filters), (
                logger.name,
                handler,
            )
    assert configured


def _log_through_configured_handler(record_args):
    stream = logging.getLogger().handlers[0]
    captured = []
    original_emit = stream.emit
    stream.emit = lambda record: captured.append(stream.format(record))
    try:
        logger = logging.getLogger("complaints.test")
        logger.error(*record_args)
        try:
            raise ValueError(f"bad address {PERSON['email']} {PERSON['postcode']}")
        except ValueError:
            logger.exception("intake failed for %s", PERSON["phone"])
    finally:
        stream.emit = original_emit
    return "\n".join(captured)


def test_log_records_are_redacted_message_arguments_and_traceback():
    output = _log_through_configured_handler(
        ("complainant %s <%s> phoned %s", "ok", PERSON["email"], PERSON["phone"])
    )
    assert "complainant ok" in output and "ValueError" in output
    for key in ("email", "phone", "postcode"):
        assert PERSON[key] not in output


# --- personal data in error reports -----------------------------------------------------


def _fail_with_personal_data(data, complainant):
    complainant_name = data["name"]  # noqa: F841 - a local the report would show
    contact = data["email"]  # noqa: F841
    harmless_counter = 3  # noqa: F841
    raise RuntimeError(f"could not write to {data['email']}")


def _report(request):
    complainant = Complainant(name=PERSON["name"], email=PERSON["email"], phone=PERSON["phone"])
    try:
        _fail_with_personal_data(dict(PERSON), complainant)
    except RuntimeError:
        exc_info = sys.exc_info()
    from django.views.debug import get_exception_reporter_class

    reporter_class = get_exception_reporter_class(request)
    assert reporter_class.__name__ == "PersonalDataExceptionReporter"
    reporter = reporter_class(request, *exc_info)
    assert isinstance(reporter, ExceptionReporter)
    return reporter.get_traceback_html(), reporter.get_traceback_text()


@pytest.mark.parametrize("debug", [False, True])
def test_error_reports_hide_post_data_query_strings_and_personal_variables(settings, debug):
    settings.DEBUG = debug
    request = RequestFactory().post(
        f"/intake/?q={PERSON['name'].replace(' ', '+')}",
        {
            "name": PERSON["name"],
            "email": PERSON["email"],
            "phone": PERSON["phone"],
            "address": PERSON["postcode"],
        },
    )
    request.user = None
    html, text = _report(request)
    # Variables that are not personal stay visible, so the report is still useful.
    assert "harmless_counter" in html
    for report in (html, text):
        assert "RuntimeError" in report
        for value in PERSON.values():
            assert value not in report, value
            assert value.replace(" ", "+") not in report
