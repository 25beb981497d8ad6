"""The one lock-and-version helper every app's services use.

Services lock the row they change (``select_for_update``) before reading its state, in a fixed
order (the complaint first, then what hangs off it), and refuse a caller holding a stale view
(its ``version`` is old) with a conflict instead of a lost update.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Any

from django.db import models

from .errors import ConflictError, NotFound


def lock_row[M: models.Model](
    queryset: models.QuerySet[M],
    pk: Any,
    *,
    code: StrEnum | str,
    message: str,
    select_related: tuple[str, ...] = (),
) -> M:
    """Lock one row of ``queryset`` for the rest of the transaction; ``NotFound`` if absent.

    Only the row itself is locked (``of=("self",)``), never the rows joined for reading."""
    qs = queryset.select_for_update(of=("self",))
    if select_related:
        qs = qs.select_related(*select_related)
    row = qs.filter(pk=pk).first()
    if row is None:
        raise NotFound(code, message)
    return row


def check_version(
    obj: Any,
    expected_version: int | None,
    *,
    code: StrEnum | str,
    message: str,
    extra: dict[str, Any] | None = None,
) -> None:
    """A caller whose ``expected_version`` is old gets a conflict carrying the current state."""
    if expected_version is not None and obj.version != expected_version:
        raise ConflictError(code, message, extra={**(extra or {}), "version": obj.version})


def lock_pk[M: models.Model](
    model: type[M],
    pk: Any,
    *,
    code: StrEnum | str,
    what: str,
    select_related: tuple[str, ...] = (),
) -> M:
    """``lock_row`` on any row of ``model``; the refusal reads "<what> <pk> not found."."""
    return lock_row(
        model._default_manager.all(),
        pk,
        code=code,
        message=f"{what} {pk} not found.",
        select_related=select_related,
    )
