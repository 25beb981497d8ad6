"""In-app notifications, the notice ledger that makes notices once-only, and retention records.

``Notice`` is a ledger: one row per notice ever issued, keyed by (object, kind, level) with a
unique constraint. A job inserts the ledger row *before* it notifies anybody, so a re-run or a
second worker running the same job at the same moment finds the row (or blocks on the unique
index until the first commits) and sends nothing twice. Ledger rows and retention records are
append-only evidence, so they carry no separate history table; a ``Notification`` is a user's
inbox item whose only change is being read.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import NoReverseMatch, reverse

from common.models import actor_field
from complaints.models import Complaint, Firm


class Level(models.TextChoices):
    INFO = "info", "Information"
    NEAR = "near", "Deadline near"
    BREACH = "breach", "Deadline missed"


class Category(models.TextChoices):
    DEADLINE = "deadline", "Deadline"
    DIGEST = "digest", "Supervisor digest"
    REPORT = "report", "Return reminder"
    CALENDAR = "calendar", "Calendar change"
    TASKS = "tasks", "Your tasks digest"
    INBOX = "inbox", "Arrived in the inbox"


class EmailStatus(models.TextChoices):
    PENDING = "pending", "Waiting to be sent"
    SENT = "sent", "Sent"
    FAILED = "failed", "Failed"
    NONE = "none", "No e-mail (no address)"


class Notice(models.Model):
    """One notice issued by a job. The unique key is the once-only guarantee."""

    object_key = models.CharField(
        max_length=120, help_text='What the notice is about, e.g. "complaint:42" or "return:3".'
    )
    kind = models.CharField(max_length=60, help_text='Deadline kind, e.g. "final_response".')
    level = models.CharField(max_length=10, choices=Level.choices)
    source = models.CharField(max_length=60, help_text="The registered source that found it.")
    firm = models.ForeignKey(Firm, on_delete=models.CASCADE, related_name="+")
    complaint = models.ForeignKey(
        Complaint, null=True, blank=True, on_delete=models.CASCADE, related_name="notices"
    )
    due_date = models.DateField(null=True, blank=True)
    # The run that inserted the row: after INSERT .. ON CONFLICT DO NOTHING a run reads back
    # the rows carrying its own token, which are exactly the notices it won.
    claim = models.UUIDField(db_index=True)
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["object_key", "kind", "level"], name="uniq_notice_once_per_level"
            )
        ]
        indexes = [models.Index(fields=["firm", "created_at"])]

    def __str__(self) -> str:
        return f"{self.object_key} {self.kind} {self.level}"


class NotificationQuerySet(models.QuerySet):
    def unread(self) -> NotificationQuerySet:
        return self.filter(read_at__isnull=True)


class Notification(models.Model):
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    firm = models.ForeignKey(Firm, on_delete=models.CASCADE, related_name="+")
    complaint = models.ForeignKey(
        Complaint, null=True, blank=True, on_delete=models.CASCADE, related_name="notifications"
    )
    notice = models.ForeignKey(
        Notice, null=True, blank=True, on_delete=models.CASCADE, related_name="notifications"
    )
    category = models.CharField(max_length=20, choices=Category.choices)
    level = models.CharField(max_length=10, choices=Level.choices)
    title = models.CharField(max_length=200)
    body = models.TextField(blank=True)
    link = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField()
    read_at = models.DateTimeField(null=True, blank=True)
    # Outbox: the e-mail is sent after the notification commits, by whichever worker claims it.
    email_status = models.CharField(max_length=10, choices=EmailStatus.choices)
    email_attempts = models.PositiveSmallIntegerField(default=0)
    emailed_at = models.DateTimeField(null=True, blank=True)

    objects = NotificationQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["notice", "recipient"], name="uniq_notification_per_notice_recipient"
            )
        ]
        indexes = [
            models.Index(fields=["recipient", "read_at", "created_at"]),
            models.Index(
                fields=["created_at"],
                condition=Q(email_status="pending"),
                name="notification_email_pending",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def url(self) -> str:
        if self.link:
            return self.link
        if self.complaint_id:
            try:
                return reverse("complaints:detail", args=[self.complaint_id])
            except NoReverseMatch:
                return ""
        return ""


class RetentionRecord(models.Model):
    """DISP 1.9: the audit entry for one complaint anonymised after its retention period."""

    complaint = models.OneToOneField(
        Complaint, on_delete=models.PROTECT, related_name="retention_record"
    )
    firm = models.ForeignKey(Firm, on_delete=models.PROTECT, related_name="+")
    reference = models.CharField(max_length=40)
    receipt_date = models.DateField()
    retained_until = models.DateField(help_text="End of the retention period (DISP 1.9.1R).")
    anonymised_at = models.DateTimeField()
    actor = actor_field(blank=True)
    reason = models.CharField(max_length=300)
    complainant_anonymised = models.BooleanField(
        help_text="False while the complainant still has complaints inside retention or on hold."
    )
    history_rows_scrubbed = models.PositiveIntegerField(
        default=0, help_text="History rows scrubbed by the batch this complaint was part of."
    )

    class Meta:
        ordering = ["-anonymised_at", "-id"]
        indexes = [models.Index(fields=["firm", "anonymised_at"])]

    def __str__(self) -> str:
        return f"{self.reference} anonymised {self.anonymised_at:%Y-%m-%d}"
