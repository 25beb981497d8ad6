"""What the remediation services share: input-error helpers, the firm-member check and the
save that turns a taken unique name into bad input."""

from __future__ import annotations

from datetime import datetime
from typing import NoReturn

from django.contrib.auth.models import User
from django.db import IntegrityError, transaction

from common.audit import Actor, save_audited
from common.errors import ValidationFailed
from complaints.models import Membership

from ..errors import RemediationError as E
from ..models import Incident, RootCause

FieldErrors = dict[str, list[str]]

STALE_MESSAGE = "Someone else changed this record after you opened it. Review it and try again."


def invalid(message: str, fields: FieldErrors, rule: str | None = None) -> NoReturn:
    raise ValidationFailed(E.VALIDATION, message, fields=fields, rule=rule)


def check_errors(errors: FieldErrors, what: str) -> None:
    ValidationFailed.check(E.VALIDATION, what, errors)


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


def save_named(
    obj: Incident | RootCause,
    *,
    actor: Actor,
    reason: str,
    taken: tuple[str, str],
    fields: list[str] | None = None,
) -> None:
    """Save ``obj`` audited. When its name is taken (the unique index refuses it): bad input
    with ``taken`` = (the message, where ``{name}`` is the name; the note on the name field).
    The savepoint keeps the caller's transaction usable."""
    try:
        with transaction.atomic():
            save_audited(obj, actor=actor, reason=reason, update_fields=fields)
    except IntegrityError:
        message, note = taken
        raise ValidationFailed(
            E.DUPLICATE, message.format(name=obj.name), fields={"name": [note]}
        ) from None
