"""Idempotent creation for the API: a retried request never creates a second complaint.

The key row is inserted first (``ON CONFLICT DO NOTHING``), in the same transaction as the
complaint. A concurrent retry with the same key blocks on the unique index until the first
transaction ends: if it committed, the retry inserts nothing and replays the stored response; if
it rolled back (the create was refused), the retry proceeds as a first attempt. A key is
therefore consumed only by a success.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction

from common.bulk import insert_rows, update_row
from common.errors import ConflictError, ValidationFailed
from complaints.models import Complaint

from .errors import IntakeErrorCode
from .models import IdempotencyKey

MAX_KEY_LENGTH = 255


def request_hash(payload: Any) -> str:
    """SHA-256 of the parsed body in canonical form (key order and whitespace do not matter)."""
    canonical = json.dumps(payload, sort_keys=True, separators=(",", ":"), cls=DjangoJSONEncoder)
    return hashlib.sha256(canonical.encode()).hexdigest()


def validate_key(key: str) -> None:
    if not key or len(key) > MAX_KEY_LENGTH or not key.isascii() or not key.isprintable():
        raise ValidationFailed(
            IntakeErrorCode.IDEMPOTENCY_KEY_INVALID,
            f"Idempotency-Key must be 1 to {MAX_KEY_LENGTH} printable ASCII characters.",
            fields={"Idempotency-Key": ["Invalid key."]},
        )


@dataclass(frozen=True)
class IdempotentResult:
    complaint_id: int
    body: dict[str, Any]
    replayed: bool


def complaint_create_idempotent(
    *,
    user: Any,
    key: str,
    body_hash: str,
    now: datetime,
    create: Callable[[], tuple[Complaint, dict[str, Any]]],
) -> IdempotentResult:
    """Run ``create`` once per (user, key); later calls with the same body replay its response."""
    validate_key(key)
    with transaction.atomic():
        # One statement, no savepoint: the key is new (inserted) or taken (nothing inserted).
        inserted = insert_rows(
            IdempotencyKey,
            ["user_id", "key", "request_hash", "created_at"],
            [(user.pk, key, body_hash, now)],
            returning="id",
            unless_exists=["user_id", "key"],
        )
        if not inserted:
            record = IdempotencyKey.objects.get(user=user, key=key)
            if record.request_hash != body_hash:
                raise ConflictError(
                    IntakeErrorCode.IDEMPOTENCY_KEY_REUSED,
                    "This Idempotency-Key was already used with a different request body. Use "
                    "a new key for a new complaint.",
                    extra={"complaint_id": record.complaint_id},
                )
            # A key is stored only with the complaint it created (the same transaction).
            assert record.complaint_id is not None and record.response_body is not None
            return IdempotentResult(record.complaint_id, record.response_body, replayed=True)
        complaint, body = create()
        update_row(
            IdempotencyKey,
            inserted[0],
            {
                "firm_id": complaint.firm_id,
                "complaint_id": complaint.pk,
                "response_status": 201,
                "response_body": body,
            },
        )
    return IdempotentResult(complaint.pk, body, replayed=False)
