"""Compute, approve and submit a firm's SUP 16.34.6R return.

Each is keyword-only, takes the acting user and ``now``, runs in one transaction and records
history with the use case as the change reason and the actor as the history user. An approved
version is frozen: a recompute is a new version, never a change to one.
"""

from __future__ import annotations

import time as _time
from contextlib import AbstractContextManager
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from django.db import connection, transaction
from django_fsm import can_proceed

from common.announce import announce
from common.audit import history_user, record_creation, save_audited
from common.dates import london_date
from common.errors import ConflictError, NotFound, TransitionRefused, ValidationFailed
from common.locking import lock_row
from complaints.access import Perm, has_perm
from complaints.models import Firm

from .. import metrics
from ..choices import Metric, UpheldBasis
from ..errors import ErrorCode
from ..models import (
    ActiveClient,
    ClientPositionSnapshot,
    ReturnItem,
    ReturnVersion,
    Sup16Return,
)
from ..selectors import firm_reporting_calendar, upheld_basis
from .lent_settings import lent_settings
from .permissions import require_firm_perm

if TYPE_CHECKING:
    from django.contrib.auth.models import User

CHANGE_SAMPLE = 50
BULK_WORK_MEM = "64MB"  # the compute's statements (see _bulk_settings)


def _latest_snapshot(firm: Firm, as_at: date) -> ClientPositionSnapshot | None:
    return (
        ClientPositionSnapshot.objects.filter(firm=firm, as_at=as_at)
        .order_by("-loaded_at", "-id")
        .first()
    )


def _changed_items_sql(previous: ReturnVersion, version: ReturnVersion) -> tuple[str, list[Any]]:
    """The complaints or clients in one version and not the other, per metric (``in_new`` says
    which): a full join of the two versions' stored items on (metric, identifier), hashing one
    side instead of sorting both (issue 18: a recompute costs no more than the first compute),
    and of the two snapshots' active clients by their key when the snapshot changed (the same
    snapshot has the same active clients, so nothing is read)."""
    items = f"""SELECT metric, CASE WHEN complaint_reference <> '' THEN complaint_reference
                                    ELSE client_id END AS ident
                FROM {ReturnItem._meta.db_table} WHERE version_id = %s AND metric <> %s"""
    parts = [
        f"""SELECT COALESCE(n.metric, o.metric), COALESCE(n.ident, o.ident), n.ident IS NOT NULL
            FROM ({items}) n FULL JOIN ({items}) o ON n.metric = o.metric AND n.ident = o.ident
            WHERE n.ident IS NULL OR o.ident IS NULL"""
    ]
    clients = str(Metric.ACTIVE_CLIENTS)
    params: list[Any] = [version.pk, clients, previous.pk, clients]
    if previous.snapshot_id != version.snapshot_id:
        active = f"SELECT client_id FROM {ActiveClient._meta.db_table} WHERE snapshot_id = %s"
        parts.append(
            f"""SELECT %s, COALESCE(n.client_id, o.client_id), n.client_id IS NOT NULL
                FROM ({active}) n FULL JOIN ({active}) o ON n.client_id = o.client_id
                WHERE n.client_id IS NULL OR o.client_id IS NULL"""
        )
        params += [clients, version.snapshot_id or 0, previous.snapshot_id or 0]
    return f"{' UNION ALL '.join(parts)} ORDER BY 1, 2", params


def _bulk_settings() -> AbstractContextManager[None]:
    """For the compute's statements over the complaints, the snapshot's clients and the stored
    items: at least ``BULK_WORK_MEM`` of PostgreSQL's ``work_mem`` (never lowered) and no JIT
    compilation; then the transaction's own values again (nothing to do elsewhere).

    Past the stock thresholds PostgreSQL compiles each of these statements before running it:
    at 100,000 complaints and a 500,000-row snapshot that took longer than the statements ran
    (metric 4's clients: 1.6 s of JIT in 3.3 s; the whole compute 5.8-6.9 s with it, 2.8-3.6 s
    without, load 7; docs/performance.md). The comparison of two versions hashes one version's
    items, hundreds of thousands at a large firm: past the stock 4MB PostgreSQL splits both
    sides into batches written to disk (three times slower at 143,000 items). docs/performance.md
    recommends 32-64MB and no JIT for a large install; this holds whatever the server's."""
    return lent_settings({"jit": "off"}, work_mem_at_least=BULK_WORK_MEM)


def _changes(previous: ReturnVersion | None, version: ReturnVersion) -> dict[str, Any]:
    """Figures before and after, and which complaints or clients came in or went out, per metric
    (counts in one grouped query; a sample of each side for the screen)."""
    if previous is None:
        return {}
    figures = {
        "complaints_received": "complaints_received",
        "complaints_upheld": "complaints_upheld",
        "complaints_upheld_cohort": "complaints_upheld_cohort",
        "active_clients": "active_clients",
        "vulnerable_active_retail_customers": "vulnerable_active_retail_customers",
    }
    changes: dict[str, Any] = {
        "previous_version": previous.number,
        "figures": {
            name: {"before": getattr(previous, attr), "after": getattr(version, attr)}
            for name, attr in figures.items()
            if getattr(previous, attr) != getattr(version, attr)
        },
        "items": {},
    }
    if previous.snapshot_id != version.snapshot_id:
        changes["snapshot"] = {"before": previous.snapshot_id, "after": version.snapshot_id}
    sql, params = _changed_items_sql(previous, version)
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        changed = cursor.fetchall()
        for metric, ident, in_new in changed:
            entry = changes["items"].setdefault(
                metric, {"added": [], "removed": [], "added_count": 0, "removed_count": 0}
            )
            side = "added" if in_new else "removed"
            entry[f"{side}_count"] += 1
            if len(entry[side]) < CHANGE_SAMPLE:
                entry[side].append(ident)
    return changes


def return_compute(
    *,
    firm: Firm,
    period_end: date,
    actor: User | None,
    now: datetime,
    basis: str | None = None,
) -> ReturnVersion:
    """Compute a new version of the firm's return for the period ending ``period_end``.

    The figures come from one aggregate query over complaints and one over the period-end
    client snapshot; the complaints and clients behind each figure are stored with the version
    (so an approved version never changes, whatever happens to the complaints later). A
    recompute is a new version that records what changed against the previous one.
    """
    require_firm_perm(actor, firm, Perm.PREPARE_RETURNS)
    started = _time.monotonic()
    basis = basis or upheld_basis()
    if basis not in UpheldBasis.values:
        raise ValidationFailed(
            ErrorCode.VALIDATION,
            f"Unknown upheld basis {basis!r}.",
            fields={"basis": [f"Choose one of {', '.join(UpheldBasis.values)}."]},
        )
    cal = firm_reporting_calendar(firm)
    try:
        period = cal.period_ending(period_end)
    except ValueError as exc:
        raise ValidationFailed(
            ErrorCode.NOT_A_REFERENCE_DATE, str(exc), fields={"period_end": [str(exc)]}
        ) from None
    if period.end >= london_date(now):
        raise ValidationFailed(
            ErrorCode.PERIOD_NOT_ENDED,
            f"The period ending {period.end.isoformat()} has not ended yet.",
            fields={"period_end": ["The period has not ended yet."]},
        )
    scope = metrics.ComplaintScope.for_firm(firm)
    conditions = metrics.complaint_conditions(scope, period.start, period.end)
    base = metrics.complaints_in_play(firm, period.start, period.end)
    exempt = firm.stablecoin_issuer_only
    with transaction.atomic():
        # Lock order: the firm, then its return. Two people computing the same period at once
        # get consecutive versions, never a clash.
        lock_row(Firm.objects.all(), firm.pk, code=ErrorCode.NOT_FOUND, message="No such firm.")
        filing = (
            Sup16Return.objects.select_for_update(of=("self",))
            .select_related("latest_version")
            .filter(firm=firm, period_end=period.end)
            .first()
        )
        if filing is None:
            filing = Sup16Return(
                firm=firm,
                period_start=period.start,
                period_end=period.end,
                due_date=period.due,
                is_stub=period.is_stub,
                is_trial=period.is_trial,
                created_at=now,
            )
            save_audited(filing, actor=actor, reason="return.create")
        previous = filing.latest_version
        with _bulk_settings():
            counts = metrics.complaint_figures(conditions, base)
            snapshot = None if exempt else _latest_snapshot(firm, period.end)
            active = metrics.active_client_count(snapshot.pk) if snapshot else None
            version = ReturnVersion(
                sup16_return=filing,
                number=(previous.number + 1) if previous else 1,
                upheld_basis=basis,
                reference_date_convention=cal.convention,
                calendar_version=cal.business_calendar.version,
                complaints_received=counts[Metric.RECEIVED],
                complaints_upheld_event=counts[Metric.UPHELD],
                complaints_upheld_cohort=counts[Metric.UPHELD_COHORT],
                complaints_upheld=counts[
                    Metric.UPHELD if basis == UpheldBasis.EVENT else Metric.UPHELD_COHORT
                ],
                active_clients=active,
                vulnerable_active_retail_customers=None,  # the clients stored behind it, below
                exempt_client_metrics=exempt,
                snapshot=snapshot,
                exclusions={m: counts[m] for m in Metric.exclusions()},
                flags={m: counts[m] for m in Metric.flags()},
                computed_by=history_user(actor),
                computed_at=now,
            )
            version.save_without_historical_record()
            metrics.store_complaint_items(version.pk, conditions, base)
            if snapshot is not None:
                metrics.store_client_items(version.pk, snapshot.pk, firm, period.end)
            # Metric 3's clients are the snapshot's ActiveClient rows, which its figure counts;
            # metric 4's figure is the number of clients stored behind it (metrics.
            # active_client_count says why). The complaint figures are checked against their items.
            expected = {m: counts[m] for m in conditions}
            stored = metrics.stored_counts(version.pk)
            if snapshot is not None:
                version.vulnerable_active_retail_customers = stored.get(
                    Metric.VULNERABLE_CLIENTS, 0
                )
            if any(stored.get(m, 0) != n for m, n in expected.items()):
                # The figure and its evidence come from the same conditions; if they ever disagree,
                # nothing is saved rather than a return that cannot be explained.
                raise ConflictError(
                    ErrorCode.INTEGRITY,
                    "The stored items do not match the figures; the return was not saved.",
                    extra={"figures": expected, "items": stored},
                )
            version.changes = _changes(previous, version)
        version.compute_seconds = round(_time.monotonic() - started, 3)
        version.save_without_historical_record(
            update_fields=["changes", "compute_seconds", "vulnerable_active_retail_customers"]
        )
        record_creation(version, actor=actor, reason="return.compute")
        _point_at(filing, "latest_version", version, actor=actor, use_case="return.compute")
        # A new draft awaits approval (four eyes): the firm's approvers are told once it commits.
        announce("return.computed", version.pk)
    return version


def _point_at(
    filing: Sup16Return, field: str, version: ReturnVersion, *, actor: User | None, use_case: str
) -> None:
    """Make ``version`` the return's ``field`` (its latest or its submitted version), recorded
    in the return's history as the use case on that version."""
    setattr(filing, field, version)
    save_audited(
        filing,
        actor=actor,
        reason=f"{use_case}: version {version.number}",
        update_fields=[field],
    )


def _lock_version(return_id: int, number: int) -> tuple[Sup16Return, ReturnVersion]:
    """Lock the return, then the version (known by its number within the return, not its key);
    return_compute takes the firm before the return, so no path takes them the other way."""
    filing = lock_row(
        Sup16Return.objects.all(), return_id, code=ErrorCode.NOT_FOUND, message="No such return."
    )
    version = (
        ReturnVersion.objects.select_for_update(of=("self",))
        .filter(sup16_return=filing, number=number)
        .first()
    )
    if version is None:
        raise NotFound(ErrorCode.NOT_FOUND, f"Return {return_id} has no version {number}.")
    return filing, version


def return_approve(
    *, return_id: int, version: int, actor: User | None, now: datetime
) -> ReturnVersion:
    """Approve (and so freeze) the latest version. Four eyes: the approver holds
    APPROVE_RETURNS and did not compute that version."""
    with transaction.atomic():
        filing, v = _lock_version(return_id, version)
        if actor is None or not has_perm(actor, filing.firm_id, Perm.APPROVE_RETURNS):
            raise NotFound(ErrorCode.NOT_FOUND, "No such return.")
        if not can_proceed(v.approve):
            raise TransitionRefused(
                ErrorCode.INVALID_STATE, f"Version {v.number} is already {v.get_status_display()}."
            )
        if filing.latest_version_id != v.pk:
            raise TransitionRefused(
                ErrorCode.NOT_LATEST_VERSION,
                f"Version {v.number} has been superseded; review and approve the latest version.",
            )
        if v.computed_by_id is not None and v.computed_by_id == actor.pk:
            raise TransitionRefused(
                ErrorCode.SAME_PERSON,
                "The person who prepared a return cannot also approve it.",
            )
        if not v.exempt_client_metrics and v.snapshot_id is None:
            raise TransitionRefused(
                ErrorCode.SNAPSHOT_MISSING,
                "Load the client position snapshot as at the period end and recompute: "
                "SUP 16.34.6R(3)-(4) need it.",
                rule="SUP 16.34.6R(3)-(4)",
            )
        v.approve(by=actor, at=now)
        save_audited(
            v,
            actor=actor,
            reason="return.approve",
            update_fields=["status", "approved_by", "approved_at"],
        )
    return v


def return_submit(
    *,
    return_id: int,
    version: int,
    actor: User | None,
    now: datetime,
    submission_reference: str = "",
    submitted_at: datetime | None = None,
) -> ReturnVersion:
    """Record that an approved version was submitted to the FCA (SUP 16.34.2R)."""
    submitted_at = submitted_at or now
    if submitted_at > now:
        raise ValidationFailed(
            ErrorCode.VALIDATION,
            "A return cannot be recorded as submitted in the future.",
            fields={"submitted_at": ["Must not be later than now."]},
        )
    with transaction.atomic():
        filing, v = _lock_version(return_id, version)
        if actor is None or not (
            has_perm(actor, filing.firm_id, Perm.PREPARE_RETURNS)
            or has_perm(actor, filing.firm_id, Perm.APPROVE_RETURNS)
        ):
            raise NotFound(ErrorCode.NOT_FOUND, "No such return.")
        if not can_proceed(v.submit):
            raise TransitionRefused(
                ErrorCode.INVALID_STATE,
                f"Only an approved version can be submitted; version {v.number} is "
                f"{v.get_status_display().lower()}.",
            )
        v.submit(by=actor, at=submitted_at, reference=submission_reference.strip()[:100])
        save_audited(
            v,
            actor=actor,
            reason="return.submit",
            update_fields=["status", "submitted_by", "submitted_at", "submission_reference"],
        )
        _point_at(filing, "submitted_version", v, actor=actor, use_case="return.submit")
    return v
