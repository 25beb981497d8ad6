"""SUP 16.34.6R quarterly returns: client position snapshots and versioned, frozen returns.

Write paths are ``reporting.services`` only. A snapshot's header (who loaded which file, its
SHA-256, when) has history; its rows do not: they are written once by the import, never edited,
and deleted only with the snapshot, so per-row history would only double millions of rows.
Return versions and their items are likewise written once; a recompute makes a new version.
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any

from django.db import models
from django_fsm import FSMField, FSMModelMixin, transition
from simple_history.models import HistoricalRecords

from common.models import actor_field
from complaints.models import Firm

from .choices import ArrangementStatus, Metric, UpheldBasis, VersionStatus

if TYPE_CHECKING:
    from django.contrib.auth.models import User


class ClientPositionSnapshot(models.Model):
    """A firm's client positions as at a period end, loaded from one file (CSV or XLSX), or a
    nil declaration: the firm's statement that it had no client arrangements at all as at that
    date (SUP 16.34.6R(3)-(4) are then nil). A nil declaration has no file and no rows."""

    firm = models.ForeignKey(Firm, on_delete=models.PROTECT, related_name="client_snapshots")
    as_at = models.DateField(help_text="The period end the positions are as at.")
    is_nil = models.BooleanField(
        default=False, help_text="A nil declaration: no client arrangements as at the date."
    )
    nil_statement = models.TextField(blank=True, help_text="The declaration, as it was made.")
    file_name = models.CharField(max_length=255, blank=True)
    file_format = models.CharField(
        max_length=4, blank=True, choices=[("csv", "CSV"), ("xlsx", "XLSX"), ("", "None (nil)")]
    )
    file_sha256 = models.CharField("file SHA-256", max_length=64)
    file_size = models.BigIntegerField()
    row_count = models.PositiveBigIntegerField()
    loaded_by = actor_field()
    loaded_at = models.DateTimeField()
    load_seconds = models.FloatField(default=0)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-as_at", "-loaded_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["firm", "as_at", "file_sha256"],
                condition=models.Q(is_nil=False),
                name="uniq_snapshot_file_per_date",
            )
        ]
        indexes = [models.Index(fields=["firm", "as_at", "loaded_at"])]

    def __str__(self) -> str:
        if self.is_nil:
            return f"{self.firm.name}: nil declaration as at {self.as_at}"
        return f"{self.firm.name} positions as at {self.as_at} ({self.row_count} rows)"

    if TYPE_CHECKING:
        # Added by simple_history: the services save the header first and write its one
        # "created" history entry once it is complete (common.audit.record_creation).
        def save_without_historical_record(self, *args: Any, **kwargs: Any) -> None: ...


class ClientPositionRow(models.Model):
    """One arrangement in a snapshot. Deliberately lean: no history, no foreign keys beyond the
    snapshot, written by COPY (PostgreSQL) or batched inserts.

    Its key is ``(snapshot, client_id, row_number)``: the one index a load writes (no ``id``
    sequence, no second index; issue 18), and the order the snapshot page lists and the active
    clients are grouped in. ``row_number`` alone is unique within a snapshot (the import numbers
    the file's rows). On PostgreSQL each snapshot's rows are a partition of their own, loaded with
    no index and keyed once loaded (``services.snapshot_rows``, migration 0006)."""

    pk = models.CompositePrimaryKey("snapshot", "client_id", "row_number")
    # No database constraint: the import writes the header and its rows in one transaction, and a
    # deferred foreign key would queue one check per row for COMMIT (5M checks for a large
    # exchange, docs/performance.md). Deleting the snapshot still deletes its rows (CASCADE).
    snapshot = models.ForeignKey(
        ClientPositionSnapshot,
        on_delete=models.CASCADE,
        related_name="rows",
        db_index=False,  # the primary key's index leads with it
        db_constraint=False,
    )
    row_number = models.PositiveIntegerField(help_text="Row in the source file (header = 1).")
    client_id = models.CharField(max_length=64)
    arrangement_id = models.CharField(max_length=64)
    is_retail = models.BooleanField()
    is_test = models.BooleanField()
    vulnerable = models.BooleanField()
    activity = models.CharField(max_length=32)
    status = models.CharField(max_length=16, choices=ArrangementStatus.choices)
    balance_gbp = models.DecimalField(max_digits=24, decimal_places=8)

    def __str__(self) -> str:
        return f"{self.client_id}/{self.arrangement_id}"


class ActiveClient(models.Model):
    """A client of a snapshot with at least one active arrangement (SUP 16.34.6R(3)), computed
    once by the import from the snapshot's rows (``metrics.store_active_clients``).

    A snapshot never changes, so neither does this: metrics 3 and 4 read it instead of grouping
    millions of rows per computation, and the active-clients drill-down of every return
    computed from the snapshot pages through it by key (``(snapshot, client_id)``). On
    PostgreSQL each snapshot's are a partition of their own, like its rows.
    """

    pk = models.CompositePrimaryKey("snapshot", "client_id")
    snapshot = models.ForeignKey(
        ClientPositionSnapshot,
        on_delete=models.CASCADE,
        related_name="+",
        db_index=False,  # the primary key's index leads with it
        db_constraint=False,
    )
    client_id = models.CharField(max_length=64)
    retail = models.BooleanField(help_text="Retail on at least one active arrangement.")
    vulnerable = models.BooleanField(
        help_text="Flagged vulnerable in the ledger (on a row that is not a test account)."
    )

    def __str__(self) -> str:
        return self.client_id


class ImportRejection(models.Model):
    """A file refused by validation: nothing was imported; the full error list is kept."""

    firm = models.ForeignKey(Firm, on_delete=models.PROTECT, related_name="+")
    as_at = models.DateField()
    file_name = models.CharField(max_length=255)
    file_sha256 = models.CharField(max_length=64)
    rows_read = models.PositiveBigIntegerField()
    error_count = models.PositiveBigIntegerField()
    errors_shown = models.JSONField(default=list, help_text="The first errors, for the UI.")
    errors_file = models.FileField(upload_to="reporting/import-errors/", blank=True)
    rejected_by = actor_field()
    rejected_at = models.DateTimeField()
    history = HistoricalRecords()

    class Meta:
        ordering = ["-rejected_at", "-id"]

    def __str__(self) -> str:
        return f"Rejected {self.file_name} ({self.error_count} errors)"


class Sup16Return(models.Model):
    """The SUP 16.34.6R return of one firm (legal entity) for one reporting period."""

    firm = models.ForeignKey(Firm, on_delete=models.PROTECT, related_name="sup16_returns")
    period_start = models.DateField()
    period_end = models.DateField(help_text="The reporting reference date.")
    due_date = models.DateField()
    is_stub = models.BooleanField(default=False)
    is_trial = models.BooleanField(
        default=False, help_text="Before the firm's reporting starts: a rehearsal, not required."
    )
    latest_version = models.ForeignKey(
        "ReturnVersion", null=True, on_delete=models.SET_NULL, related_name="+"
    )
    submitted_version = models.ForeignKey(
        "ReturnVersion", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField()
    history = HistoricalRecords()

    class Meta:
        ordering = ["-period_end", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["firm", "period_end"], name="uniq_return_period")
        ]
        indexes = [models.Index(fields=["firm", "due_date"])]

    def __str__(self) -> str:
        return f"SUP 16.34 return {self.firm.name} {self.period_start}–{self.period_end}"


# The four figures a return reports (SUP 16.34.6R), by field name.
FIGURE_FIELDS = (
    "complaints_received",
    "complaints_upheld",
    "active_clients",
    "vulnerable_active_retail_customers",
)


class ReturnVersion(FSMModelMixin, models.Model):
    """One computation of a return. Immutable figures; only its status moves forward
    (draft → approved → submitted). The IDs behind every figure are ``ReturnItem`` rows."""

    sup16_return = models.ForeignKey(Sup16Return, on_delete=models.PROTECT, related_name="versions")
    number = models.PositiveIntegerField()
    status = FSMField(
        max_length=12, choices=VersionStatus.choices, default=VersionStatus.DRAFT, protected=True
    )
    upheld_basis = models.CharField(max_length=8, choices=UpheldBasis.choices)
    reference_date_convention = models.CharField(max_length=12)
    calendar_version = models.CharField(max_length=120)
    complaints_received = models.PositiveIntegerField()
    complaints_upheld = models.PositiveIntegerField(help_text="On the basis reported.")
    complaints_upheld_event = models.PositiveIntegerField(help_text="A9: upheld in the period.")
    complaints_upheld_cohort = models.PositiveIntegerField(
        help_text="A9: received in the period and upheld (Annex 6 wording)."
    )
    active_clients = models.PositiveIntegerField(null=True, blank=True)
    vulnerable_active_retail_customers = models.PositiveIntegerField(null=True, blank=True)
    exempt_client_metrics = models.BooleanField(
        default=False, help_text="A12: the firm only issues qualifying stablecoin."
    )
    snapshot = models.ForeignKey(
        ClientPositionSnapshot, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    exclusions = models.JSONField(
        default=dict, help_text="Complaints received in the period but not counted, by reason."
    )
    flags = models.JSONField(
        default=dict,
        help_text="Counted complaints for the reporting officer to check, by reason (issue 14).",
    )
    changes = models.JSONField(
        default=dict, help_text="What changed against the previous version (figures and IDs)."
    )
    computed_by = actor_field()
    computed_at = models.DateTimeField()
    compute_seconds = models.FloatField(default=0)
    approved_by = actor_field(blank=True)
    approved_at = models.DateTimeField(null=True, blank=True)
    submitted_by = actor_field(blank=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    submission_reference = models.CharField(max_length=100, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["sup16_return", "-number"]
        constraints = [
            models.UniqueConstraint(
                fields=["sup16_return", "number"], name="uniq_return_version_number"
            )
        ]

    def __str__(self) -> str:
        return f"{self.sup16_return} v{self.number} ({self.get_status_display()})"

    if TYPE_CHECKING:
        # Added by simple_history: the services save the header first and write its one
        # "created" history entry once it is complete (common.audit.record_creation).
        def save_without_historical_record(self, *args: Any, **kwargs: Any) -> None: ...

    @property
    def is_frozen(self) -> bool:
        return self.status != VersionStatus.DRAFT

    # --- state machine -------------------------------------------------------------------
    # SUP 16.34.6R: an approved version is frozen; its figures never change and it only moves
    # on to submitted. reporting.services.returns checks the guards (four eyes, latest version,
    # snapshot), locks the rows, calls these and saves with the audit entry.

    @transition(field=status, source=VersionStatus.DRAFT, target=VersionStatus.APPROVED)
    def approve(self, *, by: User, at: datetime) -> None:
        """Freeze the figures as the return the firm stands behind."""
        self.approved_by = by
        self.approved_at = at

    @transition(field=status, source=VersionStatus.APPROVED, target=VersionStatus.SUBMITTED)
    def submit(self, *, by: User, at: datetime, reference: str) -> None:
        """SUP 16.34.2R: the approved version was sent to the FCA."""
        self.submitted_by = by
        self.submitted_at = at
        self.submission_reference = reference

    def figures(self) -> dict[str, int | None]:
        return {name: getattr(self, name) for name in FIGURE_FIELDS}


class ReturnItem(models.Model):
    """One complaint or client behind a figure of one return version, frozen when written.

    The complaint reference is copied so the evidence survives retention (DISP 1.9) acting on
    the complaint later; there is deliberately no foreign key to the complaint. Active clients
    (metric 3) are not copied here: they are the snapshot's ``ActiveClient`` rows, as immutable
    as the snapshot the version is protected from losing.
    """

    # No database constraint, as for snapshot rows: written with the version in one transaction.
    version = models.ForeignKey(
        ReturnVersion,
        on_delete=models.CASCADE,
        related_name="items",
        db_index=False,
        db_constraint=False,
    )
    metric = models.CharField(max_length=24, choices=Metric.choices)
    complaint_id = models.BigIntegerField(null=True, blank=True)
    complaint_reference = models.CharField(max_length=40, blank=True)
    client_id = models.CharField(max_length=64, blank=True)

    class Meta:
        # Items are written in (metric, reference, client) order, so ``id`` order is the
        # drill-down's order and this index grows at its right edge as they are written.
        indexes = [models.Index(fields=["version", "metric", "id"], name="reporting_item_page")]

    def __str__(self) -> str:
        return f"{self.metric}: {self.complaint_reference or self.client_id}"
