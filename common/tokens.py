"""Use cases for API tokens: issue (the clear token is returned once) and revoke."""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime

from django.contrib.auth.models import AbstractBaseUser, User
from django.db import transaction

from .audit import history_user, save_audited
from .errors import ValidationFailed
from .locking import lock_row
from .models import ApiToken

TOKEN_PREFIX = "dcm_"
_PREFIX_CHARS = 8


class TokenCode:
    VALIDATION = "validation_error"
    NOT_FOUND = "token_not_found"
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


def api_token_issue(
    *, user: User, name: str, actor: AbstractBaseUser | None, now: datetime
) -> IssuedToken:
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
        created_by=history_user(actor),
    )
    with transaction.atomic():
        save_audited(token, actor=actor, reason="api_token.issue")
    return IssuedToken(token=token, clear=clear)


def api_token_revoke(*, token_id: int, actor: AbstractBaseUser | None, now: datetime) -> ApiToken:
    """Revoke at once: the next request with this token is refused (401)."""
    with transaction.atomic():
        token = lock_row(
            ApiToken.objects.all(),
            token_id,
            code=TokenCode.NOT_FOUND,
            message=f"API token {token_id} not found.",
        )
        if token.revoked_at is not None:
            return token
        token.revoked_at = now
        token.revoked_by = history_user(actor)
        save_audited(
            token,
            actor=actor,
            reason="api_token.revoke",
            update_fields=["revoked_at", "revoked_by"],
        )
    return token
