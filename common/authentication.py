"""Token authentication for the API: ``Authorization: Bearer dcm_...``.

The token is looked up by its clear prefix and compared by hash in constant time. ``last_used_at``
is written at most once per ``API_TOKEN_LAST_USED_INTERVAL`` seconds, so a busy integration does
not turn every read into a write.
"""

from __future__ import annotations

import hmac
from datetime import timedelta

from django.conf import settings
from django.utils import timezone
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework import authentication, exceptions

from .models import ApiToken
from .tokens import hash_token, split_prefix

KEYWORDS = (b"bearer", b"token")


class ApiTokenAuthentication(authentication.BaseAuthentication):
    def authenticate(self, request):
        header = authentication.get_authorization_header(request).split()
        if not header or header[0].lower() not in KEYWORDS:
            return None
        if len(header) != 2:
            raise exceptions.AuthenticationFailed("Malformed Authorization header.")
        try:
            clear = header[1].decode()
        except UnicodeError:
            raise exceptions.AuthenticationFailed("Invalid token.") from None
        prefix = split_prefix(clear)
        token = self.find(prefix) if prefix else None
        if token is None or not hmac.compare_digest(token.token_hash, hash_token(clear)):
            raise exceptions.AuthenticationFailed("Invalid token.")
        if token.revoked_at is not None:
            raise exceptions.AuthenticationFailed("This token has been revoked.")
        if not token.user.is_active:
            raise exceptions.AuthenticationFailed("The token's user is inactive.")
        now = timezone.now()
        interval = timedelta(seconds=getattr(settings, "API_TOKEN_LAST_USED_INTERVAL", 60))
        if token.last_used_at is None or now - token.last_used_at > interval:
            # Excluded from history on purpose: a usage timestamp, not a change of the token.
            ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        return token.user, token

    def find(self, prefix: str) -> ApiToken | None:
        """The token with this clear prefix, with its user (one query); a subclass may read
        more with it (complaints.api.authentication reads the user's firm memberships)."""
        return ApiToken.objects.select_related("user").filter(prefix=prefix).first()

    def authenticate_header(self, request) -> str:
        return 'Bearer realm="api"'


class ApiTokenScheme(OpenApiAuthenticationExtension):
    target_class = "common.authentication.ApiTokenAuthentication"
    match_subclasses = True
    name = "apiToken"

    def get_security_definition(self, auto_schema):
        return {
            "type": "http",
            "scheme": "bearer",
            "description": "A per-user API token issued by an administrator (dcm_...).",
        }
