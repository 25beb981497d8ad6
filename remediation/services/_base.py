"""What the remediation services share: input-error helpers and the firm-member check."""

from __future__ import annotations

from datetime import datetime
from typing import NoReturn

from django.contrib.auth.models import User

from common.errors import ValidationFailed
from complaints.models import Membership

from ..errors import RemediationError as E

FieldErrors = dict[str, list[str]]

STALE_MESSAGE = "Someone else changed this record after you opened it. Review it and try again."


def invalid(message: str, fields: FieldErrors, rule: str | None = None) -> NoReturn:
    raise ValidationFailed(E.VALIDATION, message, fields=fields, rule=rule)


def check_errors(errors: FieldErrors, what: str) -> None:
    if errors:
        invalid(f"{what}: " + "; ".join(f"{k}: {v[0]}" for k, v in errors.items()), errors)


def aware(value: datetime | None, field: str, now: datetime, errors: FieldErrors) -> None:
    if value is None:
        return
    if value.tzinfo is None:
        errors[field] = ["Must include a time zone."]
    elif value > now:
        errors[field] = ["Cannot be in the future."]


def active_member(firm_id: int, user_id: int, field: str = "owner") -> User:
    membership = (
        Membership.objects.select_related("user").filter(firm_id=firm_id, user_id=user_id).first()
    )
    if membership is None or not membership.user.is_active:
        raise ValidationFailed(
            E.OWNER_NOT_MEMBER,
            f"The {field} must be an active member of the firm.",
            fields={field: ["Not a member of this firm."]},
        )
    return membership.user
