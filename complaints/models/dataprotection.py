"""Data-protection complaints (DPA 2018 s.164A) and subject access requests (UK GDPR Art 15)
raised in a complaint, each with its own clock (``complaints.dpa.clock``), never the DISP one.

The dates are stored as the handler records them; the due dates are derived and stored beside
them (recomputed by the services on every change) so the queue and the deadline watch can
filter on them.
"""

from __future__ import annotations

from datetime import date

from django.db import models
from simple_history.models import HistoricalRecords

from common.models import actor_field

from ..dpa import clock as dpa_clock
from .communications import Communication
from .complaints import Complaint


class DataProtectionComplaint(models.Model):
    """DPA 2018 s.164A: the complaint, or the part of it ``summary`` names, that is about the
    use of the complainant's personal data. Its acknowledgement, progress and outcome are its
    own communications; the outcome never waits for the DISP complaint around it."""

    complaint = models.ForeignKey(
        Complaint, on_delete=models.CASCADE, related_name="data_protection_complaints"
    )
    summary = models.TextField(
        help_text="What the complainant says is wrong with the use of "
        "their personal data (the whole complaint or a part of it)."
    )
    received_on = models.DateField()
    acknowledgement_due = models.DateField()
    acknowledgement = models.OneToOneField(
        Communication, null=True, blank=True, on_delete=models.RESTRICT, related_name="+"
    )
    last_progress_on = models.DateField(null=True, blank=True)
    outcome = models.OneToOneField(
        Communication, null=True, blank=True, on_delete=models.RESTRICT, related_name="+"
    )
    recorded_by = actor_field()
    recorded_at = models.DateTimeField()
    version = models.PositiveIntegerField(default=1)
    history = HistoricalRecords()

    class Meta:
        ordering = ["received_on", "id"]
        indexes = [models.Index(fields=["acknowledgement_due"], name="dpa_ack_due")]

    def __str__(self) -> str:
        return f"Data-protection complaint on {self.complaint.reference}"

    def refresh_due(self) -> None:
        self.acknowledgement_due = dpa_clock.acknowledgement_due(self.received_on)


class SubjectAccessRequest(models.Model):
    """A subject access request raised in a complaint (UK GDPR Art 15), with the Art 12(3)
    clock: identity asked for and received, scope clarifications (``pauses``), the extension
    and its notice, and the day it was answered."""

    complaint = models.ForeignKey(
        Complaint, on_delete=models.CASCADE, related_name="subject_access_requests"
    )
    scope = models.TextField(help_text="What the requester asked for.")
    received_on = models.DateField()
    identity_requested_on = models.DateField(null=True, blank=True)
    identity_received_on = models.DateField(null=True, blank=True)
    extension_reason = models.TextField(blank=True)
    extension_notice = models.OneToOneField(
        Communication, null=True, blank=True, on_delete=models.RESTRICT, related_name="+"
    )
    answered_on = models.DateField(null=True, blank=True)
    response_due = models.DateField(null=True, blank=True)
    extension_notice_due = models.DateField(null=True, blank=True)
    recorded_by = actor_field()
    recorded_at = models.DateTimeField()
    version = models.PositiveIntegerField(default=1)
    history = HistoricalRecords()

    class Meta:
        ordering = ["received_on", "id"]
        indexes = [models.Index(fields=["response_due"], name="sar_response_due")]

    def __str__(self) -> str:
        return f"Subject access request on {self.complaint.reference}"

    @property
    def extended(self) -> bool:
        return self.extension_notice_id is not None

    def sar_clock(self, calendar) -> dpa_clock.SarClock:
        return dpa_clock.sar_clock(
            self.received_on,
            calendar,
            identity_requested=self.identity_requested_on,
            identity_received=self.identity_received_on,
            pauses=tuple(dpa_clock.Pause(p.asked_on, p.answered_on) for p in self.pauses.all())
            if self.pk
            else (),
            extended=self.extended,
        )

    def refresh_due(self, calendar) -> dpa_clock.SarClock:
        sar = self.sar_clock(calendar)
        self.response_due, self.extension_notice_due = sar.response_due, sar.extension_notice_due
        return sar

    def is_overdue(self, today: date) -> bool:
        return self.response_due is not None and (self.answered_on or today) > self.response_due


class SarPause(models.Model):
    """The stopped clock (UK GDPR Art 12(3) as amended by the Data (Use and Access) Act 2025):
    from the day the firm asked the requester to clarify the scope to the day the answer came,
    both included, the time does not run."""

    request = models.ForeignKey(
        SubjectAccessRequest, on_delete=models.CASCADE, related_name="pauses"
    )
    question = models.TextField()
    asked_on = models.DateField()
    answered_on = models.DateField(null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["asked_on", "id"]

    def __str__(self) -> str:
        return f"Scope clarification on {self.request}"
