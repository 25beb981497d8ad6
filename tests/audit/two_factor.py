"""Signing in through the real pages, and TOTP codes computed from the secret as an
authenticator app would (allauth's own RFC 6238 helper), for the two-factor tests."""

from __future__ import annotations

import time

from allauth.mfa import app_settings
from allauth.mfa.totp.internal.auth import SECRET_SESSION_KEY, format_hotp_value, hotp_value

PASSWORD = "correct-horse-battery"


def totp(secret: str, *, step: int = 0) -> str:
    """The code an authenticator app shows now (``step`` periods later)."""
    counter = int(time.time()) // app_settings.TOTP_PERIOD + step
    return format_hotp_value(hotp_value(secret, counter))


def sign_in(client, user, password: str = PASSWORD):
    return client.post("/accounts/login/", {"username": user.username, "password": password})


def enrol(client) -> str:
    """Set up the authenticator app for the signed-in user; the secret it was given."""
    page = client.get("/accounts/2fa/totp/activate/")
    if page.status_code == 302:  # allauth asks for the password again before a change
        assert page["Location"].startswith("/accounts/reauthenticate/"), page
        client.post(page["Location"], {"password": PASSWORD})
        page = client.get("/accounts/2fa/totp/activate/")
    assert page.status_code == 200, page
    secret = client.session[SECRET_SESSION_KEY]
    assert secret in page.content.decode()  # shown for typing in, beside the QR code
    done = client.post("/accounts/2fa/totp/activate/", {"code": totp(secret)})
    assert done.status_code == 302 and done["Location"] == "/accounts/2fa/recovery-codes/", done
    return secret
