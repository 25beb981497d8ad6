"""The work queue's saved filters: a named view of the queue, kept per user and firm."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from simple_history.models import HistoricalRecords

from .firms import Firm


class SavedFilter(models.Model):
    """A named queue view (filters and sort) a user saved; ``shared`` shows it to the firm's
    other members, who may apply it but not delete it. ``query`` holds only the queue form's
    own keys (``complaints.services.saved_filters.clean_query``)."""

    firm = models.ForeignKey(Firm, on_delete=models.CASCADE, related_name="saved_filters")
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="saved_queue_filters"
    )
    name = models.CharField(max_length=80)
    query = models.CharField(max_length=1000, blank=True)
    shared = models.BooleanField(default=False, help_text="Shown to the firm's team as well.")
    created_at = models.DateTimeField()
    history = HistoricalRecords()

    class Meta:
        ordering = ["name", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["firm", "owner", "name"], name="saved_filter_name_unique_per_owner"
            )
        ]
        indexes = [models.Index(fields=["firm", "shared"])]

    def __str__(self) -> str:
        return self.name
