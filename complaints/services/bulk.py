"""Bulk actions from the work queue: one service call per complaint, each in its own
transaction, so a refusal on one complaint is reported and leaves the others done.

The per-complaint services do the work (and write each complaint's history): a bulk reassign
is ``complaint_assign`` once per complaint and a bulk task ``task_create`` once per complaint,
exactly as the complaint page calls them.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, datetime, time
from typing import Any

from django.db import transaction

from common.audit import Actor
from common.errors import DomainError, ValidationFailed

from ..errors import ErrorCode
from ..models import Complaint
from .case import complaint_assign
from .tasks import task_create

log = logging.getLogger(__name__)

BULK_MAX = 200  # complaints per bulk action: "select all" ticks one page (50)


@dataclass(frozen=True)
class BulkOutcome:
    """What happened to one complaint: done, or refused and why (the rule, if one)."""

    complaint_id: int
    reference: str
    ok: bool
    message: str = ""


def bulk_targets(firm_id: int, complaint_ids: Iterable[int]) -> list[int]:
    """The chosen ids, each once, in the order given; refused when none or too many."""
    ids = list(dict.fromkeys(complaint_ids))
    if not ids:
        raise ValidationFailed(
            ErrorCode.BULK_NOTHING_CHOSEN,
            "Tick at least one complaint.",
            fields={"complaint": ["Tick at least one complaint."]},
        )
    if len(ids) > BULK_MAX:
        raise ValidationFailed(
            ErrorCode.BULK_TOO_MANY,
            f"At most {BULK_MAX} complaints at a time.",
            fields={"complaint": [f"At most {BULK_MAX} complaints at a time."]},
        )
    return ids


def complaints_bulk(
    *,
    firm_id: int,
    complaint_ids: Iterable[int],
    each: Callable[[Complaint], object],
    action: str,
) -> list[BulkOutcome]:
    """Run ``each`` on every chosen complaint of ``firm_id``, one transaction each, in the
    order chosen. An id not of this firm is reported as not found, never touched."""
    ids = bulk_targets(firm_id, complaint_ids)
    found = Complaint.objects.filter(firm_id=firm_id, pk__in=ids).in_bulk()
    outcomes = []
    for pk in ids:
        complaint = found.get(pk)
        if complaint is None:
            outcomes.append(BulkOutcome(pk, "", False, "No such complaint in this firm."))
            continue
        try:
            with transaction.atomic():
                each(complaint)
        except DomainError as exc:
            rule = f" ({exc.rule})" if exc.rule else ""
            outcomes.append(BulkOutcome(pk, complaint.reference, False, f"{exc.message}{rule}"))
        except Exception as exc:  # one complaint's failure must not stop (or 500) the rest
            log.exception("Bulk %s failed on complaint %s", action, pk)
            outcomes.append(
                BulkOutcome(
                    pk, complaint.reference, False, f"Unexpected error: {type(exc).__name__}"
                )
            )
        else:
            outcomes.append(BulkOutcome(pk, complaint.reference, True))
    return outcomes


def complaints_bulk_assign(
    *,
    firm_id: int,
    complaint_ids: Iterable[int],
    actor: Actor,
    now: datetime,
    owner_id: int | None,
) -> list[BulkOutcome]:
    """Reassign each chosen complaint to ``owner_id`` (None: unassign) through
    ``complaint_assign``, audited on each complaint."""
    return complaints_bulk(
        firm_id=firm_id,
        complaint_ids=complaint_ids,
        action="assign",
        each=lambda complaint: complaint_assign(
            complaint_id=complaint.pk, actor=actor, now=now, owner_id=owner_id
        ),
    )


def complaints_bulk_task(
    *,
    firm_id: int,
    complaint_ids: Iterable[int],
    actor: Actor,
    now: datetime,
    kind: str,
    due_on: date,
    note: str = "",
    assignee: Any = None,
    due_time: time | None = None,
) -> list[BulkOutcome]:
    """Put the same task on each chosen complaint through ``task_create`` (for ``assignee``, or
    each complaint's own owner); a closed complaint, say, is refused and reported."""
    return complaints_bulk(
        firm_id=firm_id,
        complaint_ids=complaint_ids,
        action="task",
        each=lambda complaint: task_create(
            complaint,
            user=actor,
            now=now,
            kind=kind,
            due_on=due_on,
            note=note,
            assignee=assignee,
            due_time=due_time,
        ),
    )
