"""What every complaint use case shares: the row lock, the version check, the one path of a
lifecycle action (``lifecycle_action``), and the after-commit event."""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.db import transaction
from django.dispatch import Signal

from common import outbox
from common.announce import send_robustly
from common.audit import Actor
from common.audit import save_audited as _save_audited
from common.audit import snapshot as _snapshot
from common.bulk import CopyRows
from common.dates import uk_datetime
from common.errors import ValidationFailed, required
from common.locking import check_version as check_version_of
from common.locking import lock_row

from .. import guards
from ..deadlines import apply_deadlines
from ..errors import ErrorCode
from ..models import Complaint, Firm, Membership

# Sent once the transaction has committed, with ``complaint_id``, ``action`` and ``now``: the apps
# above the lifecycle (notifications) react here instead of being called from below. The
# announcement goes through the outbox, so it survives a broker outage; receivers are
# idempotent (it is delivered at least once).
complaint_changed = Signal()
logger = logging.getLogger(__name__)


def after_commit(complaint_id: int, action: str) -> None:
    """Write the announcement of ``action`` to the outbox in the caller's transaction. One
    row per complaint and action: announcing again before delivery adds nothing."""
    outbox.write(
        announce_change,
        key=f"complaint-changed:{complaint_id}:{action}",
        complaint_id=complaint_id,
        action=action,
    )


def after_commit_rows(complaint_ids: list[int], action: str, *, now: datetime) -> CopyRows:
    """``after_commit`` for many new complaints at once (the register import, chunk by chunk):
    their outbox rows made ready to copy (``outbox.prepare_many``; one message per complaint,
    its key and payload as ``after_commit`` writes them), for the caller to write with its own
    rows (``common.bulk.copy_write``); it calls ``outbox.sweep_on_commit`` after the last."""
    return outbox.prepare_many(
        announce_change,
        [
            (f"complaint-changed:{pk}:{action}", {"complaint_id": pk, "action": action})
            for pk in complaint_ids
        ],
        now=now,
    )


@outbox.handler
def announce_change(payload: dict[str, Any], now: datetime) -> str | None:
    """The outbox handler: send ``complaint_changed``. A failing receiver is logged (IDs only)
    and the announcement retried; the change itself was committed long before."""
    complaint_id, action = payload["complaint_id"], payload["action"]
    return send_robustly(
        complaint_changed,
        f"complaint {complaint_id} ({action})",
        sender=Complaint,
        complaint_id=complaint_id,
        action=action,
        now=now,
    )


def lock_complaint(complaint_id: int, *, firm_ids: list[int] | None = None) -> Complaint:
    """Lock one complaint row for the rest of the transaction (lock order: complaint first)."""
    qs = Complaint.objects.all()
    if firm_ids is not None:
        qs = qs.filter(firm_id__in=firm_ids)
    return lock_row(
        qs,
        complaint_id,
        code=ErrorCode.NOT_FOUND,
        message=f"Complaint {complaint_id} not found.",
        select_related=("firm",),
    )


def check_version(complaint: Complaint, expected_version: int | None) -> None:
    """A caller holding a stale view (its version is old) gets a conflict, never a lost update."""
    check_version_of(
        complaint,
        expected_version,
        code=ErrorCode.STALE,
        message="Someone else changed this complaint after you opened it. Review its current "
        "state and try again.",
        extra={"status": complaint.status},
    )


@contextmanager
def complaint_change(
    complaint_id: int,
    expected_version: int | None,
    *,
    actor: Actor,
    reason: str,
    event: str,
) -> Iterator[Complaint]:
    """One transaction: lock the complaint, refuse a stale ``expected_version``, let the caller
    check and change it, then save it a version on with a history entry whose change reason is
    ``reason``, and send ``complaint_changed`` with ``event`` once committed. A refusal raised
    inside rolls everything back."""
    with transaction.atomic():
        complaint = lock_complaint(complaint_id)
        check_version(complaint, expected_version)
        before = _snapshot(complaint)
        yield complaint
        complaint.version += 1
        _save_audited(complaint, actor=actor, reason=reason, before=before)
        after_commit(complaint.pk, event)


def require_text(
    value: str,
    field: str,
    message: str,
    *,
    code: ErrorCode = ErrorCode.VALIDATION,
    rule: str | None = None,
) -> None:
    """Refuse a blank ``value``: ``field`` is required (``common.errors.required``), and
    ``message`` says why."""
    if errors := required(**{field: value}):
        raise ValidationFailed(code, message, fields=errors, rule=rule)


@dataclass(frozen=True)
class Step:
    """What one lifecycle action does to the locked complaint, its inputs checked."""

    apply: Callable[[Complaint], None]
    at: datetime | None = None  # when its guards judge it, if not ``now``
    outcome: str | None = None  # the outcome a response records (its redress check)
    # The inputs the action's input guard reads (``ActionSpec.input_guard``), e.g. a reason.
    inputs: Mapping[str, Any] = field(default_factory=dict)


def lifecycle_action(action: str) -> Callable[[Callable[..., Step]], Callable[..., Complaint]]:
    """Make the service of ``action`` from the function that checks the action's own inputs and
    says what it does (``describe(actor, now, **inputs) -> Step``). The service takes
    ``complaint_id``, ``actor``, ``now``, ``expected_version`` and those inputs, all by keyword,
    and runs the one path of every lifecycle action: in ``complaint_change``, the dates the
    handler gave (``require_given_dates``), the action's own inputs, its guards (with the
    outcome a response records), the transition and the DISP clock where the action moves it,
    saved under the action's reason. A refusal at any point saves nothing."""
    spec = guards.ACTIONS[action]

    def make(describe: Callable[..., Step]) -> Callable[..., Complaint]:
        def service(
            *,
            complaint_id: int,
            actor: Actor,
            now: datetime,
            expected_version: int | None = None,
            **inputs: Any,
        ) -> Complaint:
            with complaint_change(
                complaint_id, expected_version, actor=actor, reason=spec.reason, event=action
            ) as complaint:
                require_given_dates(complaint, now, inputs)
                step = describe(actor, now, **inputs)
                guards.check(
                    complaint, action, step.at or now, outcome=step.outcome, inputs=step.inputs
                )
                step.apply(complaint)
                if spec.recompute:
                    apply_deadlines(complaint, now=now)
            return complaint

        service.__name__ = service.__qualname__ = describe.__name__
        service.__doc__ = describe.__doc__
        return service

    return make


def require_given_dates(complaint: Complaint, now: datetime, inputs: Mapping[str, Any]) -> None:
    """Refuse, on its own field, every moment a handler gives for a lifecycle step (a letter's
    ``sent_at``, the SRC's ``accepted_at``, ``withdrawn_at``; an input left out means now):
    one without a time zone, one later than ``now``, or one before the complaint was received.
    Every DISP response counts from receipt (DISP 1.5.1R, 1.6.1R, 1.6.2R "after its receipt"),
    so a date before it (a slip of a day, or year 10) would put a false record on the case and
    its outcome date. Receipt is ``received_at``, the moment it arrived, not the deferred day 0
    of the firm's legacy after-hours option: a reply on the evening it arrived is real."""
    errors: dict[str, list[str]] = {}
    for name, at in inputs.items():
        if not isinstance(at, datetime):
            continue
        if at.tzinfo is None or at.utcoffset() is None:
            errors[name] = ["Must include a time zone."]
        elif at > now:
            errors[name] = ["Must not be later than now."]
        elif at < complaint.received_at:
            errors[name] = [
                "Must not be before the complaint was received "
                f"({uk_datetime(complaint.received_at)})."
            ]
    ValidationFailed.check(ErrorCode.VALIDATION, "The date given cannot be recorded", errors)


def member_user(firm: Firm, user_id: int) -> Any:
    """The active member of ``firm`` a complaint may be assigned to (a coded refusal if not)."""
    membership = (
        Membership.objects.select_related("user").filter(firm=firm, user_id=user_id).first()
    )
    if membership is None or not membership.user.is_active:
        raise ValidationFailed(
            ErrorCode.OWNER_NOT_MEMBER,
            "The owner must be an active member of the complaint's firm.",
            fields={"owner": ["Not a member of this firm."]},
        )
    return membership.user
