"""Use cases that write: import a client position snapshot; compute, approve and submit a return.

Each is keyword-only, takes the acting user and ``now``, runs in one transaction and records
history with the use case as the change reason and the actor as the history user.
"""

from __future__ import annotations

import time as _time
from dataclasses import dataclass
from datetime import date, datetime

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import connection, transaction
from django.db.models import Count, Max

from common.dates import london_date
from common.errors import ConflictError, NotFound, TransitionRefused, ValidationFailed
from complaints.access import Perm, has_perm
from complaints.models import Firm

from . import imports, metrics
from .choices import Metric, UpheldBasis, VersionStatus
from .errors import ErrorCode
from .models import (
    ClientPositionRow,
    ClientPositionSnapshot,
    ImportRejection,
    ReturnItem,
    ReturnVersion,
    Sup16Return,
)
from .selectors import firm_reporting_calendar, upheld_basis

BULK_BATCH = 5_000
CHANGE_SAMPLE = 50


class ImportRejected(ValidationFailed):
    """The file failed validation; ``rejection`` holds every error (nothing was imported)."""

    def __init__(self, rejection: ImportRejection, message: str) -> None:
        first = rejection.errors_shown[:20]
        super().__init__(
            ErrorCode.IMPORT_REJECTED,
            message,
            fields={f"row {e['row']}.{e['column']}": [e["message"]] for e in first},
            extra={
                "rejection_id": rejection.pk,
                "error_count": rejection.error_count,
                "errors": rejection.errors_shown,
            },
        )
        self.rejection = rejection


@dataclass(frozen=True)
class ImportResult:
    snapshot: ClientPositionSnapshot
    created: bool  # False when the same file was already loaded for that firm and date


def _save(obj, *, actor, reason: str, update_fields: list[str] | None = None) -> None:
    obj._change_reason = reason
    obj._history_user = actor if getattr(actor, "pk", None) else None
    obj.save(update_fields=update_fields)


def _record_creation(obj, *, actor, reason: str) -> None:
    """One "created" history entry holding the record's final values.

    Snapshots and return versions are saved first (their rows and items need the key), finished
    inside the same transaction, and only then written to history, so the audit trail shows
    each as created once, complete, by the actor, for the use case."""
    type(obj).history.bulk_history_create(
        [obj],
        default_user=actor if getattr(actor, "pk", None) else None,
        default_change_reason=reason,
    )


def _require(actor, firm: Firm, perm: Perm) -> None:
    # Commands run as a named user or none (a system job); UI and API check before calling.
    if actor is not None and not has_perm(actor, firm.pk, perm):
        raise NotFound(ErrorCode.NOT_FOUND, "No such firm.")


def _reject(
    *,
    firm: Firm,
    as_at: date,
    source: imports.Source,
    report: imports.ValidationReport,
    actor,
    now: datetime,
) -> ImportRejection:
    rejection = ImportRejection(
        firm=firm,
        as_at=as_at,
        file_name=source.name[:255],
        file_sha256=report.sha256,
        rows_read=report.rows,
        error_count=report.error_count,
        errors_shown=[e.as_dict() for e in report.shown],
        rejected_by=actor if getattr(actor, "pk", None) else None,
        rejected_at=now,
    )
    rejection.errors_file.save(
        f"{firm.frn}-{as_at.isoformat()}-{report.sha256[:12]}.csv",
        ContentFile(report.errors_csv()),
        save=False,
    )
    _save(rejection, actor=actor, reason="snapshot.import_rejected")
    return rejection


def _copy_rows(source: imports.Source, snapshot_id: int) -> None:
    if connection.vendor == "postgresql":
        columns = ", ".join(imports.COPY_COLUMNS)
        table = ClientPositionRow._meta.db_table
        # psycopg 3: COPY streams the CSV text batch by batch, never the whole file.
        with (
            connection.cursor() as cursor,
            cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN WITH (FORMAT csv)") as copy,
        ):
            for block in imports.copy_csv_blocks(source, snapshot_id):
                copy.write(block)
        return
    batch: list[ClientPositionRow] = []
    for r in imports.parsed_rows(source):
        batch.append(
            ClientPositionRow(
                snapshot_id=snapshot_id,
                row_number=r.row,
                client_id=r.client_id,
                arrangement_id=r.arrangement_id,
                is_retail=r.is_retail,
                is_test=r.is_test,
                vulnerable=r.vulnerable,
                activity=r.activity,
                status=r.status,
                balance_gbp=r.balance_gbp,
            )
        )
        if len(batch) == BULK_BATCH:
            # Rows carry no history by design (see models); the snapshot header does.
            ClientPositionRow.objects.bulk_create(batch)
            batch.clear()
    if batch:
        ClientPositionRow.objects.bulk_create(batch)


def _duplicate_arrangements(snapshot_id: int, limit: int = imports.ERRORS_SHOWN) -> list:
    """Arrangements listed more than once: checked by the database after loading, so the
    importer never holds millions of IDs in memory. The whole load is rolled back if any."""
    rows = ClientPositionRow.objects.filter(snapshot_id=snapshot_id).order_by()
    dups = list(
        rows.values("arrangement_id")
        .annotate(n=Count("pk"), first=Max("row_number"))
        .filter(n__gt=1)
        .values_list("arrangement_id", flat=True)[:limit]
    )
    if not dups:
        return []
    errors = []
    seen: dict[str, int] = {}
    for arrangement, row in (
        rows.filter(arrangement_id__in=dups)
        .order_by("arrangement_id", "row_number")
        .values_list("arrangement_id", "row_number")
    ):
        if arrangement in seen:
            errors.append(
                imports.RowError(
                    row,
                    "arrangement_id",
                    arrangement,
                    f"Duplicate: the same arrangement is on row {seen[arrangement]}.",
                )
            )
        else:
            seen[arrangement] = row
    return sorted(errors, key=lambda e: e.row)


class _Duplicates(Exception):
    def __init__(self, errors: list) -> None:
        self.errors = errors


def snapshot_import(
    *, firm: Firm, as_at: date, source: imports.Source, actor, now: datetime
) -> ImportResult:
    """Import a client position snapshot (one row per arrangement) as at a period end.

    All or nothing: every row is validated first (pass 1) and any bad row rejects the file,
    with every error kept for download. Importing the same file (same SHA-256) again for the
    same firm and date returns the existing snapshot instead of loading it twice.
    """
    _require(actor, firm, Perm.PREPARE_RETURNS)
    if source.format not in ("csv", "xlsx"):
        raise ValidationFailed(
            ErrorCode.UNSUPPORTED_FILE,
            f"{source.name}: upload a .csv or .xlsx file.",
            fields={"file": ["Upload a .csv or .xlsx file."]},
        )
    cal = firm_reporting_calendar(firm)
    if not cal.is_reference_date(as_at):
        message = (
            f"{as_at.isoformat()} is not one of the firm's reporting reference dates "
            f"(nearest: {cal.nearest_reference_dates(as_at)}); a snapshot is as at a period end."
        )
        raise ValidationFailed(ErrorCode.NOT_A_REFERENCE_DATE, message, fields={"as_at": [message]})
    started = _time.monotonic()
    report = imports.validate(source)
    try:
        if not report.ok:
            rejection = _reject(
                firm=firm, as_at=as_at, source=source, report=report, actor=actor, now=now
            )
            raise ImportRejected(
                rejection,
                f"{source.name}: {report.error_count} error(s) in {report.rows} row(s); "
                f"nothing was imported. First: {report.shown[0]}",
            )
        existing = ClientPositionSnapshot.objects.filter(
            firm=firm, as_at=as_at, file_sha256=report.sha256
        ).first()
        if existing is not None:
            return ImportResult(existing, created=False)
        try:
            with transaction.atomic():
                snapshot = ClientPositionSnapshot(
                    firm=firm,
                    as_at=as_at,
                    file_name=source.name[:255],
                    file_format=source.format,
                    file_sha256=report.sha256,
                    file_size=report.size,
                    row_count=report.rows,
                    loaded_by=actor if getattr(actor, "pk", None) else None,
                    loaded_at=now,
                )
                snapshot.save_without_historical_record()
                _copy_rows(source, snapshot.pk)
                duplicates = _duplicate_arrangements(snapshot.pk)
                if duplicates:
                    raise _Duplicates(duplicates)
                snapshot.load_seconds = round(_time.monotonic() - started, 3)
                snapshot.save_without_historical_record(update_fields=["load_seconds"])
                _record_creation(snapshot, actor=actor, reason="snapshot.import")
        except _Duplicates as exc:
            for error in exc.errors:
                report.add(error)
            rejection = _reject(
                firm=firm, as_at=as_at, source=source, report=report, actor=actor, now=now
            )
            raise ImportRejected(
                rejection,
                f"{source.name}: {report.error_count} duplicate arrangement(s); nothing was "
                f"imported. First: {report.shown[0]}",
            ) from None
        return ImportResult(snapshot, created=True)
    finally:
        report.close()


# --- returns ---------------------------------------------------------------------------------


def _latest_snapshot(firm: Firm, as_at: date) -> ClientPositionSnapshot | None:
    return (
        ClientPositionSnapshot.objects.filter(firm=firm, as_at=as_at)
        .order_by("-loaded_at", "-id")
        .first()
    )


def _changes(previous: ReturnVersion | None, version: ReturnVersion) -> dict:
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
    changes: dict = {
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
    sql = f"""
        SELECT metric, ident, MAX(in_new) AS in_new, MAX(in_old) AS in_old FROM (
            SELECT metric,
                   CASE WHEN complaint_reference <> '' THEN complaint_reference
                        ELSE client_id END AS ident,
                   CASE WHEN version_id = %s THEN 1 ELSE 0 END AS in_new,
                   CASE WHEN version_id = %s THEN 1 ELSE 0 END AS in_old
            FROM {ReturnItem._meta.db_table} WHERE version_id IN (%s, %s)
        ) t GROUP BY metric, ident HAVING MAX(in_new) <> MAX(in_old)
        ORDER BY metric, ident
    """
    with connection.cursor() as cursor:
        cursor.execute(sql, [version.pk, previous.pk, version.pk, previous.pk])
        for metric, ident, in_new, _ in cursor:
            entry = changes["items"].setdefault(
                metric, {"added": [], "removed": [], "added_count": 0, "removed_count": 0}
            )
            side = "added" if in_new else "removed"
            entry[f"{side}_count"] += 1
            if len(entry[side]) < CHANGE_SAMPLE:
                entry[side].append(ident)
    return changes


def return_compute(
    *, firm: Firm, period_end: date, actor, now: datetime, basis: str | None = None
) -> ReturnVersion:
    """Compute a new version of the firm's return for the period ending ``period_end``.

    The figures come from one aggregate query over complaints and one over the period-end
    client snapshot; the complaints and clients behind each figure are stored with the version
    (so an approved version never changes, whatever happens to the complaints later). A
    recompute is a new version that records what changed against the previous one.
    """
    _require(actor, firm, Perm.PREPARE_RETURNS)
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
        Firm.objects.select_for_update().filter(pk=firm.pk).first()
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
            _save(filing, actor=actor, reason="return.create")
        previous = filing.latest_version
        counts = metrics.complaint_figures(conditions, base)
        snapshot = None if exempt else _latest_snapshot(firm, period.end)
        clients = metrics.client_figures(snapshot.pk, firm) if snapshot else {}
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
            active_clients=clients.get(Metric.ACTIVE_CLIENTS),
            vulnerable_active_retail_customers=clients.get(Metric.VULNERABLE_CLIENTS),
            exempt_client_metrics=exempt,
            snapshot=snapshot,
            exclusions={m: counts[m] for m in Metric.exclusions()},
            computed_by=actor if getattr(actor, "pk", None) else None,
            computed_at=now,
        )
        version.save_without_historical_record()
        metrics.store_complaint_items(version.pk, conditions, base)
        if snapshot is not None:
            metrics.store_client_items(version.pk, snapshot.pk, firm)
        expected = {m: counts[m] for m in Metric.complaint_metrics()}
        expected.update(clients)
        stored = metrics.stored_counts(version.pk)
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
        version.save_without_historical_record(update_fields=["changes", "compute_seconds"])
        _record_creation(version, actor=actor, reason="return.compute")
        filing.latest_version = version
        _save(
            filing,
            actor=actor,
            reason=f"return.compute: version {version.number}",
            update_fields=["latest_version"],
        )
    return version


def _lock_version(return_id: int, number: int) -> tuple[Sup16Return, ReturnVersion]:
    filing = Sup16Return.objects.select_for_update().filter(pk=return_id).first()
    if filing is None:
        raise NotFound(ErrorCode.NOT_FOUND, "No such return.")
    version = (
        ReturnVersion.objects.select_for_update().filter(sup16_return=filing, number=number).first()
    )
    if version is None:
        raise NotFound(ErrorCode.NOT_FOUND, f"Return {return_id} has no version {number}.")
    return filing, version


def return_approve(*, return_id: int, version: int, actor, now: datetime) -> ReturnVersion:
    """Approve (and so freeze) the latest version. Four eyes: the approver holds
    APPROVE_RETURNS and did not compute that version."""
    with transaction.atomic():
        filing, v = _lock_version(return_id, version)
        if actor is None or not has_perm(actor, filing.firm_id, Perm.APPROVE_RETURNS):
            raise NotFound(ErrorCode.NOT_FOUND, "No such return.")
        if v.status != VersionStatus.DRAFT:
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
        v.status = VersionStatus.APPROVED
        v.approved_by = actor
        v.approved_at = now
        _save(
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
    actor,
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
        if v.status != VersionStatus.APPROVED:
            raise TransitionRefused(
                ErrorCode.INVALID_STATE,
                f"Only an approved version can be submitted; version {v.number} is "
                f"{v.get_status_display().lower()}.",
            )
        v.status = VersionStatus.SUBMITTED
        v.submitted_by = actor
        v.submitted_at = submitted_at
        v.submission_reference = submission_reference.strip()[:100]
        _save(
            v,
            actor=actor,
            reason="return.submit",
            update_fields=["status", "submitted_by", "submitted_at", "submission_reference"],
        )
        filing.submitted_version = v
        _save(
            filing,
            actor=actor,
            reason=f"return.submit: version {v.number}",
            update_fields=["submitted_version"],
        )
    return v


def settings_summary() -> dict[str, str]:
    return {
        "SUP16_UPHELD_BASIS": upheld_basis(),
        "SUP16_REFERENCE_DATE_CONVENTION": getattr(
            settings, "SUP16_REFERENCE_DATE_CONVENTION", "month_end"
        ),
        "SUP16_CALENDAR_NATION": getattr(settings, "SUP16_CALENDAR_NATION", "england"),
    }
