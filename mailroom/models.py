"""The firm's complaints mailbox, what arrived in it, and what handlers sent from case pages."""

from __future__ import annotations

from django.db import models
from simple_history.models import HistoricalRecords

from common.models import actor_field
from complaints.models import Communication, Complaint, Firm

from .choices import Kind, Security, State


class Mailbox(models.Model):
    """One firm's complaints mailbox on its own IMAP server. The password is stored encrypted
    (``mailroom.crypto``); the poll position is (``uidvalidity``, ``last_uid``)."""

    firm = models.OneToOneField(Firm, on_delete=models.CASCADE, related_name="mailbox")
    host = models.CharField(max_length=255)
    port = models.PositiveIntegerField(default=993)
    security = models.CharField(max_length=10, choices=Security.choices, default=Security.SSL)
    username = models.CharField(max_length=255)
    password_encrypted = models.TextField(blank=True)
    folder = models.CharField(max_length=255, default="INBOX")
    address = models.EmailField(
        help_text="The mailbox's own address: replies from the case page are sent from it."
    )
    enabled = models.BooleanField(default=True)
    uidvalidity = models.BigIntegerField(null=True, blank=True)
    last_uid = models.BigIntegerField(default=0)
    last_polled_at = models.DateTimeField(null=True, blank=True)
    last_error = models.TextField(blank=True)
    history = HistoricalRecords(excluded_fields=["last_polled_at", "last_error", "last_uid"])

    def __str__(self) -> str:
        return f"{self.username}@{self.host}/{self.folder}"


class InboundMessage(models.Model):
    """One message imported from a mailbox: the raw .eml in storage, its headers and text, its
    arrival (the IMAP server's INTERNALDATE: when the firm received it) and what it is."""

    firm = models.ForeignKey(Firm, on_delete=models.CASCADE, related_name="+")
    mailbox = models.ForeignKey(Mailbox, on_delete=models.CASCADE, related_name="messages")
    uidvalidity = models.BigIntegerField()
    uid = models.BigIntegerField()
    message_id = models.CharField(max_length=998, blank=True, db_index=True)
    in_reply_to = models.CharField(max_length=998, blank=True)
    references = models.TextField(blank=True)
    from_address = models.CharField(max_length=320, blank=True)
    from_name = models.CharField(max_length=200, blank=True)
    subject = models.CharField(max_length=998, blank=True)
    arrived_at = models.DateTimeField()
    size = models.PositiveIntegerField()
    raw = models.FileField(upload_to="mailroom/%Y/%m/", blank=True)
    text = models.TextField(blank=True)
    attachment_names = models.JSONField(default=list, blank=True)
    attachment_evidence = models.JSONField(
        default=list,
        blank=True,
        help_text="Once filed on a complaint: each attachment's evidence row, or why it was "
        "not kept as evidence ({name, evidence_id, refused}).",
    )
    kind = models.CharField(max_length=12, choices=Kind.choices)
    reason = models.CharField(max_length=300, blank=True, help_text="Why it is of its kind.")
    error = models.TextField(blank=True)
    state = models.CharField(max_length=10, choices=State.choices, default=State.UNFILED)
    complaint = models.ForeignKey(
        Complaint, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    communication = models.ForeignKey(
        Communication, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    imported_at = models.DateTimeField()
    filed_by = actor_field(blank=True)
    filed_at = models.DateTimeField(null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-arrived_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["mailbox", "uidvalidity", "uid"], name="mailroom_once_per_uid"
            )
        ]
        indexes = [models.Index(fields=["firm", "state", "kind"])]

    def __str__(self) -> str:
        return f"{self.from_address}: {self.subject}"


class OutboundEmail(models.Model):
    """A handler's e-mail from the case page: stored, then sent through the outbox with our own
    Message-ID and the thread's In-Reply-To and References."""

    firm = models.ForeignKey(Firm, on_delete=models.CASCADE, related_name="+")
    complaint = models.ForeignKey(Complaint, on_delete=models.CASCADE, related_name="+")
    message_id = models.CharField(max_length=998, unique=True)
    in_reply_to = models.CharField(max_length=998, blank=True)
    references = models.TextField(blank=True)
    from_address = models.EmailField()
    to_address = models.EmailField()
    subject = models.CharField(max_length=998)
    body = models.TextField()
    communication = models.ForeignKey(
        Communication, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_by = actor_field()
    created_at = models.DateTimeField()
    sent_at = models.DateTimeField(null=True, blank=True)
    error = models.TextField(blank=True)
    history = HistoricalRecords(excluded_fields=["error"])

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"To {self.to_address}: {self.subject}"
