"""Evidence on a complaint: files (recordings, screenshots, statements, the complainant's
documents, e-mail attachments) and chain-explorer links.

A file's type is the one its bytes show (``evidence.filetypes``), its SHA-256 and size are taken
as it is stored, and who added it and when are kept with its history (django-simple-history).
``evidence.services`` is the only write path. DISP 1.9: the files go with the complaint's record
when its retention period ends (``evidence_purge``), never while it is held.
"""

from __future__ import annotations

from django.db import models
from simple_history.models import HistoricalRecords

from common.models import actor_field
from complaints.models import Complaint, Firm

from .choices import Kind, Source, State
from .storage import evidence_path, get_evidence_storage

PREVIEW_PAGES = 3  # the page shows a PDF's first pages as images; the rest are a download away


class EvidenceQuerySet(models.QuerySet):
    def on_file(self) -> EvidenceQuerySet:
        return self.filter(state=State.ON_FILE)


class Evidence(models.Model):
    firm = models.ForeignKey(Firm, on_delete=models.PROTECT, related_name="+")
    complaint = models.ForeignKey(Complaint, on_delete=models.PROTECT, related_name="evidence")
    kind = models.CharField(max_length=32, choices=Kind.choices)
    title = models.CharField(max_length=200)
    file = models.FileField(
        storage=get_evidence_storage, upload_to=evidence_path, max_length=200, blank=True
    )
    url = models.URLField(max_length=2000, blank=True, help_text="A chain-explorer link (https).")
    original_name = models.CharField(max_length=255, blank=True)
    content_type = models.CharField(
        max_length=120, blank=True, help_text="The type the file's bytes show, not its name."
    )
    size = models.PositiveBigIntegerField(null=True, blank=True)
    sha256 = models.CharField(max_length=64, blank=True, db_index=True)
    page_count = models.PositiveIntegerField(null=True, blank=True, help_text="PDFs only.")
    source = models.CharField(max_length=16, choices=Source.choices, default=Source.UPLOAD)
    uploaded_by = actor_field(blank=True)
    uploaded_at = models.DateTimeField()
    state = models.CharField(max_length=16, choices=State.choices, default=State.ON_FILE)
    removed_at = models.DateTimeField(null=True, blank=True)
    removed_by = actor_field(blank=True)
    removed_reason = models.CharField(max_length=300, blank=True)
    version = models.PositiveIntegerField(default=1)

    history = HistoricalRecords()
    objects = EvidenceQuerySet.as_manager()

    class Meta:
        ordering = ["uploaded_at", "id"]
        verbose_name = "evidence"
        verbose_name_plural = "evidence"
        indexes = [models.Index(fields=["complaint", "uploaded_at"], name="evidence_complaint_idx")]
        constraints = [
            models.CheckConstraint(
                name="evidence_file_or_link",
                condition=(~models.Q(file="") & models.Q(url=""))
                | (models.Q(file="") & ~models.Q(url="")),
            )
        ]

    def __str__(self) -> str:
        return f"{self.title} ({self.get_kind_display()})"

    @property
    def is_link(self) -> bool:
        return not self.file

    @property
    def is_on_file(self) -> bool:
        return self.state == State.ON_FILE

    @property
    def preview(self) -> str:
        """How the page shows it: "image", "pdf", "audio", or "" (download only)."""
        from .filetypes import TYPES

        return next((t.preview for t in TYPES.values() if t.mime == self.content_type), "")

    @property
    def preview_page_numbers(self) -> range:
        return range(1, min(self.page_count or 0, PREVIEW_PAGES) + 1)

    @property
    def download_name(self) -> str:
        """The uploader's file name, with the detected type's extension when it had none."""
        from .filetypes import TYPES, extension_of

        name = self.original_name or f"evidence-{self.pk}"
        if extension_of(name):
            return name
        ext = next((t.extensions[0] for t in TYPES.values() if t.mime == self.content_type), "")
        return f"{name}.{ext}" if ext else name
