"""Register import: each row of an existing complaints register becomes a complaint through the
same services as the UI and the API, replayed at its historical dates.

Preview and commit run the very same code; a preview rolls everything back, so every rule the
services enforce (time bars, the SRC deadline, the state machine) is checked before anything is
kept. Duplicates are found by the firm's own reference (``Complaint.external_reference``).
"""

from __future__ import annotations

import hashlib
import inspect
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import transaction

from common.dates import uk_datetime
from common.errors import DomainError, NotFound, ValidationFailed
from complaints import services
from complaints.choices import Outcome, Status
from complaints.models import Complaint, Firm

from .columns import DRIVERS, FileError, ParsedRow, parse
from .errors import IntakeErrorCode
from .models import ImportBatch, ImportStatus

IMPORT_REASON = "imported"
TERMINAL = ("src_sent_at", "final_response_sent_at", "forwarded_at", "withdrawn_at")
REQUIRED_FOR_STATUS: dict[str, tuple[str, ...]] = {
    Status.RECEIVED: (),
    Status.ACKNOWLEDGED: ("acknowledged_at",),
    Status.INVESTIGATING: ("acknowledged_at",),
    Status.HOLDING_RESPONSE_SENT: ("acknowledged_at", "holding_response_sent_at"),
    Status.RESOLVED_SUMMARY: ("src_sent_at", "outcome"),
    Status.FINAL_RESPONSE_SENT: ("final_response_sent_at", "outcome"),
    Status.FORWARDED: (
        "forwarded_at",
        "forwarded_to_firm",
        "forwarded_to_contact",
        "forward_reason",
    ),
    Status.WITHDRAWN: ("withdrawn_at",),
    Status.CLOSED: ("closed_at",),
}
TERMINAL_FOR_STATUS = {
    Status.RESOLVED_SUMMARY: "src_sent_at",
    Status.FINAL_RESPONSE_SENT: "final_response_sent_at",
    Status.FORWARDED: "forwarded_at",
    Status.WITHDRAWN: "withdrawn_at",
}
CHRONOLOGY = (
    "received_at",
    "acknowledged_at",
    "holding_response_sent_at",
    "src_sent_at",
    "final_response_sent_at",
    "forwarded_at",
    "withdrawn_at",
    "closed_at",
)
_COMPLAINANT_FIELDS = {"name", "email", "client_reference", "complainant_type"}


def max_rows() -> int:
    return getattr(settings, "INTAKE_IMPORT_MAX_ROWS", 5000)


@dataclass
class RowResult:
    row: int
    firm_reference: str
    outcome: str  # ok (preview) | created | duplicate | error
    errors: dict[str, list[str]] = field(default_factory=dict)
    complaint_id: int | None = None
    reference: str = ""
    status: str = ""

    def as_dict(self) -> dict[str, Any]:
        return self.__dict__.copy()


IMPORTED_RESPONSE = (
    "This response was recorded from the firm's complaints register on import; the letter as "
    "originally sent, with the full reasons, is held in the firm's previous system."
)


def _response_summary(values: dict) -> str:
    """The reasons the imported response gave (letters require them for partly upheld and
    rejected outcomes, DISP 1.4.1R(4)); the register may not hold them."""
    return (values.get("response_summary") or "").strip() or IMPORTED_RESPONSE


def _call(service: Callable, **kwargs: Any) -> Any:
    """Call a service with keyword arguments, passing ``change_reason`` only where accepted
    (the lifecycle services may grow it; they must keep working when they do not)."""
    params = inspect.signature(service).parameters
    if "change_reason" in kwargs and "change_reason" not in params:
        kwargs.pop("change_reason")
    return service(**kwargs)


def _cross_checks(values: dict[str, Any], now: datetime) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    status = values["status"]
    for column in REQUIRED_FOR_STATUS[status]:
        if values.get(column) in (None, ""):
            errors.setdefault(column, []).append(f"Required when status is {status}.")
    allowed_terminal = TERMINAL_FOR_STATUS.get(status)
    present_terminal = [c for c in TERMINAL if values.get(c)]
    if status == Status.CLOSED:
        if len(present_terminal) > 1:
            for column in present_terminal:
                errors.setdefault(column, []).append(
                    "A closed case has one of src_sent_at, final_response_sent_at, "
                    "forwarded_at or withdrawn_at, not several."
                )
        if not present_terminal and _is_complaint(values):
            errors.setdefault("closed_at", []).append(
                "A complaint closes only after its SRC, final response, forward or withdrawal: "
                "give that date too (DISP 1.6.2R)."
            )
    else:
        for column in present_terminal:
            if column != allowed_terminal:
                errors.setdefault(column, []).append(f"Not possible when status is {status}.")
        if values.get("closed_at"):
            errors.setdefault("closed_at", []).append(f"Not possible when status is {status}.")
    final_like = values.get("final_response_sent_at") and values.get("outcome") != "time_barred"
    if final_like and not values.get("acknowledged_at"):
        errors.setdefault("acknowledged_at", []).append(
            "A final response follows the acknowledgement (DISP 1.6.1R): give its date."
        )
    outcome = values.get("outcome")
    if outcome and not (values.get("src_sent_at") or values.get("final_response_sent_at")):
        errors.setdefault("outcome", []).append("Only with an SRC or final response.")
    if outcome == Outcome.TIME_BARRED and values.get("src_sent_at"):
        errors.setdefault("outcome", []).append("An SRC cannot be a time-barred rejection.")
    previous: tuple[str, datetime] | None = None
    for column in CHRONOLOGY:
        value = values.get(column)
        if value is None:
            continue
        if value > now:
            errors.setdefault(column, []).append("Cannot be in the future.")
        if previous and value < previous[1]:
            errors.setdefault(column, []).append(f"Cannot be before {previous[0]}.")
        previous = (column, value)
    return errors


def _is_complaint(values: dict[str, Any]) -> bool:
    return bool(
        values.get("alleged_financial_loss")
        or values.get("alleged_material_distress")
        or values.get("alleged_material_inconvenience")
    )


def _register(firm: Firm, actor: Any, values: dict[str, Any]) -> Complaint:
    drivers = values.get("complainant_vulnerable") or []
    person = services.ComplainantData(
        name=values["complainant_name"],
        email=values.get("complainant_email") or "",
        client_reference=values.get("complainant_client_reference") or "",
        complainant_type=values.get("complainant_type") or "consumer",
        **{DRIVERS[d]: True for d in drivers},
    )
    at = values["received_at"]
    return _call(
        services.complaint_register,
        firm=firm,
        actor=actor,
        now=at,
        received_at=at,
        channel=values["channel"],
        activity=values["activity"],
        description=values["description"],
        complainant=person,
        alleged_financial_loss=bool(values.get("alleged_financial_loss")),
        alleged_material_distress=bool(values.get("alleged_material_distress")),
        alleged_material_inconvenience=bool(values.get("alleged_material_inconvenience")),
        regime=values.get("regime") or "standard",
        event_date=values.get("event_date"),
        awareness_date=values.get("awareness_date"),
        external_reference=values["firm_reference"],
        change_reason=IMPORT_REASON,
    )


def _lifecycle_steps(values: dict[str, Any]) -> list[tuple[str, Callable, dict[str, Any]]]:
    """(column, service, kwargs) in historical order; each service runs with ``now`` at the
    historical date, so letters are recorded as sent then and deadlines follow from them."""
    steps: list[tuple[str, Callable, dict[str, Any]]] = []
    status, reason = values["status"], f"{IMPORT_REASON}: "
    ack, holding = values.get("acknowledged_at"), values.get("holding_response_sent_at")
    if ack:
        steps.append(
            ("acknowledged_at", services.complaint_acknowledge, {"now": ack, "sent_at": ack})
        )
    investigating = status in (Status.INVESTIGATING, Status.HOLDING_RESPONSE_SENT) or holding
    if ack and investigating:
        steps.append(("acknowledged_at", services.complaint_start_investigation, {"now": ack}))
    if holding:
        steps.append(
            (
                "holding_response_sent_at",
                services.complaint_send_holding_response,
                {
                    "now": holding,
                    "sent_at": holding,
                    "reasons": "Holding response recorded as sent in the imported register.",
                },
            )
        )
    if at := values.get("src_sent_at"):
        steps.append(
            (
                "src_sent_at",
                services.complaint_resolve_summary,
                {
                    "now": at,
                    "sent_at": at,
                    "outcome": values["outcome"],
                    "summary": _response_summary(values),
                },
            )
        )
    if at := values.get("final_response_sent_at"):
        if values.get("outcome") == Outcome.TIME_BARRED:
            steps.append(
                (
                    "final_response_sent_at",
                    services.complaint_reject_time_barred,
                    {"now": at, "sent_at": at},
                )
            )
        else:
            six_month = values.get("six_month_wording")
            steps.append(
                (
                    "final_response_sent_at",
                    services.complaint_send_final_response,
                    {
                        "now": at,
                        "sent_at": at,
                        "outcome": values["outcome"],
                        "six_month_wording": True if six_month is None else six_month,
                        "summary": _response_summary(values),
                    },
                )
            )
    if at := values.get("forwarded_at"):
        steps.append(
            (
                "forwarded_at",
                services.complaint_forward,
                {
                    "now": at,
                    "sent_at": at,
                    "to_firm": values.get("forwarded_to_firm") or "",
                    "to_contact": values.get("forwarded_to_contact") or "",
                    "reason": values.get("forward_reason") or "",
                },
            )
        )
    if at := values.get("withdrawn_at"):
        steps.append(
            (
                "withdrawn_at",
                services.complaint_withdraw,
                {"now": at, "withdrawn_at": at, "reason": reason + "withdrawn"},
            )
        )
    if at := values.get("closed_at"):
        steps.append(("closed_at", services.complaint_close, {"now": at}))
    return steps


def _field_errors(exc: Exception, column: str | None) -> dict[str, list[str]]:
    """A service refusal as column errors: lifecycle refusals belong to the step's column."""
    if isinstance(exc, DjangoValidationError):
        return {
            ("complainant_" + k if k in _COMPLAINANT_FIELDS else k): [str(m) for m in v]
            for k, v in exc.message_dict.items()
        }
    assert isinstance(exc, DomainError)
    message = exc.message + (f" ({exc.rule})" if exc.rule else "")
    if column is not None:
        return {column: [message]}
    out: dict[str, list[str]] = {}
    for key, messages in (exc.fields or {"row": [exc.message]}).items():
        name = "complainant_" + key if key in _COMPLAINANT_FIELDS else key
        if key == "complainant":
            name = "complainant_name"
        out.setdefault(name, []).extend(messages)
    return out


def _import_row(firm: Firm, actor: Any, row: ParsedRow, *, now: datetime, label: str) -> RowResult:
    values = row.values
    result = RowResult(
        row=row.number, firm_reference=values.get("firm_reference") or "", outcome="ok"
    )
    errors = dict(row.errors)
    if not errors:
        errors = _cross_checks(values, now)
    if errors:
        result.outcome, result.errors = "error", errors
        return result
    column = None
    try:
        with transaction.atomic():
            complaint = _register(firm, actor, values)
            for step_column, service, kwargs in _lifecycle_steps(values):
                column = step_column
                _call(
                    service,
                    complaint_id=complaint.pk,
                    actor=actor,
                    change_reason=IMPORT_REASON,
                    **kwargs,
                )
            column = None
            services.complaint_add_note(
                complaint_id=complaint.pk,
                actor=actor,
                now=now,
                body=f"{label}, row {row.number} (status at import: {values['status']}).",
            )
    except (DomainError, DjangoValidationError) as exc:
        result.outcome, result.errors = "error", _field_errors(exc, column)
        return result
    complaint.refresh_from_db(fields=["status", "reference"])
    if complaint.status != values["status"]:
        # A path the services allowed but that does not end where the register says.
        result.outcome = "error"
        result.errors = {
            "status": [f"The dates given lead to {complaint.status}, not {values['status']}."]
        }
        transaction.set_rollback(True)
        return result
    result.complaint_id, result.reference, result.status = (
        complaint.pk,
        complaint.reference,
        complaint.status,
    )
    return result


@dataclass
class ImportOutcome:
    results: list[RowResult]

    @property
    def counts(self) -> Counter:
        return Counter(r.outcome for r in self.results)


class _Rollback(Exception):
    pass


def _run_rows(
    firm: Firm, actor: Any, rows: list[ParsedRow], *, now: datetime, label: str
) -> list[RowResult]:
    refs = Counter(r.values.get("firm_reference") for r in rows if r.values.get("firm_reference"))
    existing = dict(
        Complaint.objects.filter(firm=firm, external_reference__in=list(refs)).values_list(
            "external_reference", "reference"
        )
    )
    numbers: dict[str, list[int]] = {}
    for r in rows:
        numbers.setdefault(r.values.get("firm_reference") or "", []).append(r.number)
    results = []
    for row in rows:
        ref = row.values.get("firm_reference") or ""
        if ref and refs[ref] > 1:
            others = ", ".join(str(n) for n in numbers[ref])
            errors = {
                **row.errors,
                "firm_reference": [f"Appears more than once in this file (rows {others})."],
            }
            results.append(
                RowResult(row=row.number, firm_reference=ref, outcome="error", errors=errors)
            )
        elif ref in existing:
            results.append(
                RowResult(
                    row=row.number,
                    firm_reference=ref,
                    outcome="duplicate",
                    reference=existing[ref],
                    errors={
                        "firm_reference": [f"Already in the register as {existing[ref]}: skipped."]
                    },
                )
            )
        else:
            with transaction.atomic():
                result = _import_row(firm, actor, row, now=now, label=label)
            results.append(result)
    return results


def _forget_rolled_back(results: list[RowResult]) -> None:
    """Rows that were created and then rolled back keep their outcome, not their identity."""
    for r in results:
        if r.outcome in ("ok", "created"):
            r.outcome, r.complaint_id, r.reference = "ok", None, ""


def _parse_or_fail(content: bytes, file_format: str) -> list[ParsedRow]:
    try:
        rows = parse(content, file_format)
    except FileError as exc:
        raise ValidationFailed(
            IntakeErrorCode.IMPORT_FILE_INVALID, str(exc), fields={"file": [str(exc)]}
        ) from None
    if not rows:
        raise ValidationFailed(
            IntakeErrorCode.IMPORT_FILE_INVALID,
            "The file has a header but no rows.",
            fields={"file": ["No rows."]},
        )
    if len(rows) > max_rows():
        raise ValidationFailed(
            IntakeErrorCode.IMPORT_FILE_INVALID,
            f"At most {max_rows()} rows per file: split the register.",
            fields={"file": ["Too many rows."]},
        )
    return rows


def file_format_for(filename: str) -> str:
    lower = filename.lower()
    if lower.endswith(".xlsx"):
        return "xlsx"
    if lower.endswith(".csv"):
        return "csv"
    raise ValidationFailed(
        IntakeErrorCode.IMPORT_FILE_INVALID,
        "Upload a .csv or .xlsx file.",
        fields={"file": ["Upload a .csv or .xlsx file."]},
    )


def _apply_counts(batch: ImportBatch, results: list[RowResult]) -> None:
    counts = Counter(r.outcome for r in results)
    batch.rows_total = len(results)
    batch.rows_ok = counts["ok"] + counts["created"]
    batch.rows_duplicate = counts["duplicate"]
    batch.rows_error = counts["error"]
    batch.results = [r.as_dict() for r in results]


def _save_batch(batch: ImportBatch, actor: Any, reason: str) -> None:
    batch._change_reason = reason
    batch._history_user = actor if getattr(actor, "pk", None) else None
    batch.save()


def import_preview(
    *, firm: Firm, actor: Any, now: datetime, filename: str, content: bytes
) -> ImportBatch:
    """Validate every row by running it through the services, then roll all of it back."""
    file_format = file_format_for(filename)
    rows = _parse_or_fail(content, file_format)
    sha = hashlib.sha256(content).hexdigest()
    label = f"Imported from register {filename} (SHA-256 {sha[:12]}) on {uk_datetime(now)}"
    try:
        with transaction.atomic():
            results = _run_rows(firm, actor, rows, now=now, label=label)
            raise _Rollback
    except _Rollback:
        _forget_rolled_back(results)
    batch = ImportBatch(
        firm=firm,
        uploaded_by=actor if getattr(actor, "pk", None) else None,
        filename=filename[:255],
        file_format=file_format,
        file_sha256=sha,
        content=content,
        created_at=now,
    )
    _apply_counts(batch, results)
    _save_batch(batch, actor, "import.preview")
    return batch


def previously_committed(batch: ImportBatch) -> ImportBatch | None:
    return (
        ImportBatch.objects.filter(
            firm_id=batch.firm_id, file_sha256=batch.file_sha256, status=ImportStatus.COMMITTED
        )
        .exclude(pk=batch.pk)
        .first()
    )


def import_commit(*, batch_id: int, actor: Any, now: datetime, all_or_nothing: bool) -> ImportBatch:
    """Import the good rows in one transaction, or nothing if ``all_or_nothing`` and any row
    fails. The same file committed before for this firm creates nothing new: its batch is
    returned."""
    with transaction.atomic():
        try:
            batch = ImportBatch.objects.select_for_update().get(pk=batch_id)
        except ImportBatch.DoesNotExist:
            raise NotFound(IntakeErrorCode.IMPORT_FILE_INVALID, "No such import.") from None
        if batch.status == ImportStatus.COMMITTED:
            return batch
        # One import per firm at a time: duplicates by reference are checked under this lock.
        firm = Firm.objects.select_for_update().get(pk=batch.firm_id)
        if earlier := previously_committed(batch):
            return earlier
        rows = _parse_or_fail(bytes(batch.content), batch.file_format)
        label = (
            f"Imported from register {batch.filename} (SHA-256 {batch.file_sha256[:12]}) "
            f"on {uk_datetime(now)}"
        )
        rejected = False
        try:
            with transaction.atomic():
                results = _run_rows(firm, actor, rows, now=now, label=label)
                if all_or_nothing and any(r.outcome == "error" for r in results):
                    raise _Rollback
                for r in results:
                    if r.outcome == "ok":
                        r.outcome = "created"
        except _Rollback:
            rejected = True
            _forget_rolled_back(results)
        batch.all_or_nothing = all_or_nothing
        batch.status = ImportStatus.REJECTED if rejected else ImportStatus.COMMITTED
        batch.committed_at = None if rejected else now
        _apply_counts(batch, results)
        _save_batch(batch, actor, "import.reject" if rejected else "import.commit")
    return batch


@dataclass(frozen=True)
class FileImport:
    batch: ImportBatch
    earlier: ImportBatch | None  # the same file, committed before for this firm


def import_file(
    *,
    firm: Firm,
    actor: Any,
    now: datetime,
    filename: str,
    content: bytes,
    all_or_nothing: bool,
    dry_run: bool,
) -> FileImport:
    """Preview, then (unless a dry run) commit: what the management command does."""
    batch = import_preview(firm=firm, actor=actor, now=now, filename=filename, content=content)
    earlier = previously_committed(batch)
    if dry_run or earlier is not None:
        return FileImport(batch, earlier)
    batch = import_commit(batch_id=batch.pk, actor=actor, now=now, all_or_nothing=all_or_nothing)
    return FileImport(batch, None)
