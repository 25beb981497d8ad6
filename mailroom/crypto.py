"""The mailbox password, encrypted at rest with Fernet (AES-128-CBC with an HMAC-SHA256 tag,
from ``cryptography``).

The key is ``settings.MAILROOM_FERNET_KEYS``: a list of url-safe base64 32-byte keys, newest
first (``python -c "from cryptography.fernet import Fernet; print(Fernet.generate_key())"``).
Encryption uses the first; decryption tries each, so a key is rotated by putting the new one
first and re-saving the mailboxes. Without the setting (development, tests) a key is derived
from ``SECRET_KEY`` (then changing ``SECRET_KEY`` loses the stored passwords: set the keys in
production; docs/mailroom.md).
"""

from __future__ import annotations

import base64
import hashlib

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings


def _fernet() -> MultiFernet:
    keys = list(getattr(settings, "MAILROOM_FERNET_KEYS", []) or [])
    if not keys:
        digest = hashlib.sha256(b"mailroom-password:" + settings.SECRET_KEY.encode()).digest()
        keys = [base64.urlsafe_b64encode(digest).decode()]
    return MultiFernet([Fernet(k) for k in keys])


def encrypt(password: str) -> str:
    return _fernet().encrypt(password.encode()).decode() if password else ""


def decrypt(token: str) -> str:
    """The password; an empty string when none is set. A token no key opens raises
    ``InvalidToken`` (the key was changed without keeping the old one)."""
    return _fernet().decrypt(token.encode()).decode() if token else ""


__all__ = ["InvalidToken", "decrypt", "encrypt"]
