"""URLs outside firm isolation (``tests/audit/url_objects.py`` explains the rest).

- ``PUBLIC_URLS``: URL names anyone may open (sign-in, password reset).
- ``LOGIN_ONLY_URLS``: URL names any signed-in user may use, holding no firm data or only the
  user's own, with why. Their objects (a notification) must be a 404 to everyone else.
"""

from __future__ import annotations

PUBLIC_URLS: set[str] = {
    "login",
    "password_reset",
    "password_reset_done",
    "password_reset_confirm",
    "password_reset_complete",
    # django-allauth's names for the same sign-in and password reset pages.
    "account_login",
    "account_reset_password",
    "account_inactive",
    # The second step of signing in (the password was right, no session yet).
    "mfa_authenticate",
    # Signing in through a firm's identity provider, and its outcomes (audit.sso).
    "openid_connect_login",
    "openid_connect_callback",
    "socialaccount_login_cancelled",
    "socialaccount_login_error",
    "socialaccount_signup",
}

LOGIN_ONLY_URLS: dict[str, str] = {
    "logout": "ends the user's own session",
    "password_change": "the user's own password",
    "password_change_done": "confirmation page, no data",
    "account_reauthenticate": "the user's own password again, before a two-factor change",
    "mfa_reauthenticate": "the user's own code again, before a two-factor change",
    "mfa_index": "the user's own two-factor settings",
    "mfa_activate_totp": "sets up the user's own authenticator app",
    "mfa_deactivate_totp": "turns off the user's own authenticator app",
    "mfa_view_recovery_codes": "the user's own recovery codes",
    "mfa_generate_recovery_codes": "replaces the user's own recovery codes",
    "mfa_download_recovery_codes": "the user's own recovery codes as a text file",
    "complaints:pick_firm": "lists only the signed-in user's own firms to choose from",
    "complaints:switch_firm": "selects one of the user's own firms (another firm is a 404)",
    "notifications:list": "the user's own notifications (selectors.notifications_for)",
    "notifications:mark_read": "marks one of the user's own notifications; anyone else's is 404",
    "notifications:mark_all_read": "marks the user's own notifications read",
    "api-schema": "describes the API's operations, holds no firm data; signed-in users only",
    "api-docs": "Swagger UI for the schema (local assets), no firm data",
}
