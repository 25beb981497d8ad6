"""Shared plumbing of the FOS services: audited saves, locks, validation helpers."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal, InvalidOperation

from common.audit import save_audited as _save_audited  # noqa: F401 (used by the fos services)
from common.audit import snapshot as _snapshot  # noqa: F401
from common.dates import london_date
from common.errors import ConflictError, NotFound, ValidationFailed

from ..errors import FosErrorCode
from ..models import Referral


def _user(actor):
    return actor if getattr(actor, "pk", None) else None


def lock_referral(referral_id: int) -> Referral:
    try:
        return (
            Referral.objects.select_for_update(of=("self",))
            .select_related("complaint", "firm")
            .get(pk=referral_id)
        )
    except Referral.DoesNotExist:
        raise NotFound(FosErrorCode.NOT_FOUND, f"FOS referral {referral_id} not found.") from None


def _check_version(referral: Referral, expected_version: int | None) -> None:
    if expected_version is not None and referral.version != expected_version:
        raise ConflictError(
            FosErrorCode.STALE,
            "Someone else changed this FOS referral after you opened it. Review it and try again.",
            extra={"stage": referral.stage, "version": referral.version},
        )


def _invalid(message: str, fields: dict[str, list[str]], rule: str | None = None):
    return ValidationFailed(FosErrorCode.VALIDATION, message, fields=fields, rule=rule)


def _require_past(field: str, day: date | None, now: datetime) -> None:
    if day is not None and day > london_date(now):
        raise _invalid(f"{field}: cannot be in the future.", {field: ["Cannot be in the future."]})


def _money(field: str, value, *, required: bool) -> Decimal | None:
    if value in (None, ""):
        if required:
            raise _invalid(f"{field}: required.", {field: ["Required."]})
        return None
    try:
        amount = Decimal(str(value))
    except InvalidOperation:
        raise _invalid(
            f"{field}: not an amount.", {field: ["Enter an amount in pounds."]}
        ) from None
    if amount < 0 or amount != amount.quantize(Decimal("0.01")):
        raise _invalid(
            f"{field}: must be zero or more, in pounds and pence.",
            {field: ["Zero or more, at most two decimal places."]},
        )
    return amount
