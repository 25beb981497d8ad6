"""Intake records: API idempotency keys, register import batches and what each imported complaint
came from.

The first two exist so that nothing reaches the register twice: a retried API create finds its
key, and a re-imported file finds its batch (by SHA-256) and its rows (by the firm's own
reference).
"""

from __future__ import annotations

from datetime import datetime

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.db.models import Q
from django_fsm import FSMField, FSMModelMixin, transition
from simple_history.models import HistoricalRecords

from common.models import actor_field
from complaints.models import Complaint, Firm


class IdempotencyKey(models.Model):
    """An ``Idempotency-Key`` used on a create, stored in the complaint's own transaction.

    Unique per (user, key): a concurrent retry blocks on the unique index until the first
    request commits, then finds this row and replays its response.
    """

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    key = models.CharField(max_length=255)
    request_hash = models.CharField(max_length=64, help_text="SHA-256 of the canonical body.")
    firm = models.ForeignKey(Firm, null=True, on_delete=models.CASCADE, related_name="+")
    complaint = models.ForeignKey(
        Complaint, null=True, on_delete=models.CASCADE, related_name="idempotency_keys"
    )
    response_status = models.PositiveSmallIntegerField(null=True)
    response_body = models.JSONField(null=True, encoder=DjangoJSONEncoder)
    created_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "key"], name="uniq_idempotency_user_key")
        ]

    def __str__(self) -> str:
        return f"{self.key} ({self.user_id})"


class ImportStatus(models.TextChoices):
    PREVIEWED = "previewed", "Previewed"
    COMMITTED = "committed", "Imported"
    REJECTED = "rejected", "Rejected (all-or-nothing, errors found)"


class ImportBatch(FSMModelMixin, models.Model):
    """One uploaded register file: its preview, and once confirmed, what each row became."""

    firm = models.ForeignKey(Firm, on_delete=models.PROTECT, related_name="import_batches")
    uploaded_by = actor_field()
    filename = models.CharField(max_length=255)
    file_format = models.CharField(max_length=4, choices=[("csv", "CSV"), ("xlsx", "XLSX")])
    file_sha256 = models.CharField(max_length=64, db_index=True)
    content = models.BinaryField(help_text="The uploaded file, re-validated when confirmed.")
    status = FSMField(
        max_length=12, choices=ImportStatus.choices, default=ImportStatus.PREVIEWED, protected=True
    )
    all_or_nothing = models.BooleanField(default=False)
    rows_total = models.PositiveIntegerField(default=0)
    rows_ok = models.PositiveIntegerField(default=0, help_text="Created (or creatable in preview).")
    rows_duplicate = models.PositiveIntegerField(default=0)
    rows_error = models.PositiveIntegerField(default=0)
    results = models.JSONField(default=list, help_text="Per row: outcome, errors, complaint.")
    created_at = models.DateTimeField()
    committed_at = models.DateTimeField(null=True, blank=True)
    history = HistoricalRecords(excluded_fields=["content", "results"])

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            # Re-importing the same file for the same firm finds this batch instead.
            models.UniqueConstraint(
                fields=["firm", "file_sha256"],
                condition=Q(status="committed"),
                name="uniq_committed_import_file",
            )
        ]

    def __str__(self) -> str:
        return f"{self.filename} ({self.get_status_display()})"

    # --- state machine -------------------------------------------------------------------
    # A committed batch is final: its rows are complaints now, and the same file committed
    # again finds it. A rejected one (all-or-nothing, errors found) kept nothing, so it may be
    # confirmed again. intake.services.batches locks the batch and calls these.

    @transition(
        field=status,
        source=[ImportStatus.PREVIEWED, ImportStatus.REJECTED],
        target=ImportStatus.COMMITTED,
    )
    def commit(self, *, at: datetime) -> None:
        self.committed_at = at

    @transition(
        field=status,
        source=[ImportStatus.PREVIEWED, ImportStatus.REJECTED],
        target=ImportStatus.REJECTED,
    )
    def reject(self) -> None:
        self.committed_at = None


class ImportedComplaint(models.Model):
    """Where an imported complaint came from: its register file (the batch) and its row there,
    written once by the commit that created it (``intake.services.store``, one ``COPY`` a chunk)
    and never changed.

    No history of its own, so no audit chain: the row is written in the transaction that
    creates its complaint (whose creation history row, chained, says who and when) and commits
    its batch (audited and chained, whose results already record row -> complaint); the status
    at import is the complaint's history at that time. The provenance is immutable as the
    complaint's record is: DISP 1.9 retention anonymises a complaint and never deletes it, and
    nothing here is personal data, so both keys protect and PostgreSQL refuses an UPDATE or
    DELETE of the row (``0002_importedcomplaint``). Imported before this record existed, a
    complaint has a note saying the same instead. The one index is the primary key: no read
    goes from a batch to its complaints this way (its results list them).
    """

    complaint = models.OneToOneField(
        Complaint, on_delete=models.PROTECT, primary_key=True, related_name="imported"
    )
    batch = models.ForeignKey(
        ImportBatch, on_delete=models.PROTECT, related_name="+", db_index=False
    )
    row = models.PositiveIntegerField(
        help_text="The spreadsheet row's number (the header is row 1)."
    )

    def __str__(self) -> str:
        return f"Row {self.row} of import {self.batch_id}"
