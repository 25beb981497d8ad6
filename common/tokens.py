"""Use cases for API tokens: issue (the clear token is returned once) and revoke."""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime

from django.db import transaction

from common.errors import ValidationFailed

from .models import ApiToken

TOKEN_PREFIX = "dcm_"
_PREFIX_CHARS = 8


class TokenCode:
    VALIDATION = "validation_error"
    ALREADY_REVOKED = "token_already_revoked"


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def split_prefix(token: str) -> str | None:
    """The stored prefix of a presented token (``dcm_<8 chars>``), or None if malformed."""
    if not token.startswith(TOKEN_PREFIX) or len(token) < len(TOKEN_PREFIX) + _PREFIX_CHARS + 20:
        return None
    return token[: len(TOKEN_PREFIX) + _PREFIX_CHARS]


@dataclass(frozen=True)
class IssuedToken:
    token: ApiToken
    clear: str


def api_token_issue(*, user, name: str, actor, now: datetime) -> IssuedToken:
    if not name.strip():
        raise ValidationFailed(
            TokenCode.VALIDATION, "Name the token.", fields={"name": ["Required."]}
        )
    if not user.is_active:
        raise ValidationFailed(
            TokenCode.VALIDATION,
            "Tokens are issued only to active users.",
            fields={"user": ["Inactive user."]},
        )
    while True:
        clear = TOKEN_PREFIX + secrets.token_urlsafe(32).replace("-", "x").replace("_", "y")
        prefix = clear[: len(TOKEN_PREFIX) + _PREFIX_CHARS]
        if not ApiToken.objects.filter(prefix=prefix).exists():
            break
    token = ApiToken(
        user=user,
        name=name.strip(),
        prefix=prefix,
        token_hash=hash_token(clear),
        created_at=now,
        created_by=actor if getattr(actor, "pk", None) else None,
    )
    token._change_reason = "api_token.issue"
    token._history_user = actor if getattr(actor, "pk", None) else None
    with transaction.atomic():
        token.save()
    return IssuedToken(token=token, clear=clear)


def api_token_revoke(*, token_id: int, actor, now: datetime) -> ApiToken:
    """Revoke at once: the next request with this token is refused (401)."""
    with transaction.atomic():
        token = ApiToken.objects.select_for_update().get(pk=token_id)
        if token.revoked_at is not None:
            return token
        token.revoked_at = now
        token.revoked_by = actor if getattr(actor, "pk", None) else None
        token._change_reason = "api_token.revoke"
        token._history_user = token.revoked_by
        token.save(update_fields=["revoked_at", "revoked_by"])
    return token
