"""What was sent about a complaint, and the handlers' internal notes on it."""

from __future__ import annotations

from django.db import models
from simple_history.models import HistoricalRecords

from common.models import actor_field

from ..choices import CommunicationKind, DeliveryMethod
from .complaints import Complaint


class Communication(models.Model):
    """A DISP communication sent to the complainant (or, for DISP 1.7, to the other firm).

    Immutable once written: corrections are new communications.
    """

    # Indexed first in (complaint, kind), which serves the complaint's reads and its CASCADE.
    complaint = models.ForeignKey(
        Complaint, on_delete=models.CASCADE, related_name="communications", db_index=False
    )
    kind = models.CharField(max_length=32, choices=CommunicationKind.choices)
    method = models.CharField(max_length=10, choices=DeliveryMethod.choices)
    sent_at = models.DateTimeField()
    sent_by = actor_field()
    includes_fos_referral_right = models.BooleanField(default=False)
    includes_six_month_wording = models.BooleanField(default=False)
    waiver_consent = models.BooleanField(default=False)
    summary = models.TextField(blank=True)
    recorded_at = models.DateTimeField(auto_now_add=True)
    # No read of the history looks it up by sender (issue 18).
    history = HistoricalRecords(no_db_index=["sent_by"])

    class Meta:
        ordering = ["sent_at", "id"]
        indexes = [models.Index(fields=["complaint", "kind"])]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} — {self.complaint.reference}"


class Note(models.Model):
    """An internal note on a complaint; never shown to the complainant."""

    complaint = models.ForeignKey(Complaint, on_delete=models.CASCADE, related_name="notes")
    author = actor_field()
    body = models.TextField()
    created_at = models.DateTimeField()
    # No read of the history looks it up by author (issue 18).
    history = HistoricalRecords(no_db_index=["author"])

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"Note on {self.complaint.reference}"
