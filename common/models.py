"""``actor_field``, the "who did it" column every app's records carry; the transactional outbox
(``OutboxMessage``, see ``common.outbox``); and API tokens: per-user
credentials that other systems (CRMs, web forms) use to call the API.

Only a SHA-256 hash of the token is stored. The token is shown once, when it is issued; the
short prefix is stored in clear so administrators can tell tokens apart and find one to revoke.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.conf import settings
from django.db import models
from simple_history.models import HistoricalRecords

if TYPE_CHECKING:
    from django.contrib.auth.models import User


def actor_field(*, blank: bool = False) -> models.ForeignKey[User | None, User | None]:
    """The user who did something (``created_by``, ``approved_by``…). The record outlives the
    account: deleting the user leaves it null. No reverse accessor on the user."""
    return models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=blank,
        on_delete=models.SET_NULL,
        related_name="+",
    )


class ApiTokenQuerySet(models.QuerySet):
    def active(self) -> ApiTokenQuerySet:
        return self.filter(revoked_at__isnull=True)


class ApiToken(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens"
    )
    name = models.CharField(
        max_length=100, help_text="What the token is for, e.g. 'CRM integration (prod)'."
    )
    prefix = models.CharField(
        max_length=12, unique=True, help_text="The first characters of the token, kept in clear."
    )
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField()
    created_by = actor_field(blank=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    revoked_by = actor_field(blank=True)
    # Issue and revoke are audited; last use is a counter-like field written on a hot path.
    history = HistoricalRecords(excluded_fields=["last_used_at"])
    objects = ApiTokenQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = "API token"

    def __str__(self) -> str:
        return f"{self.prefix}… {self.name} ({self.user})"

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None


class OutboxState(models.TextChoices):
    PENDING = "pending", "Queued"
    SENT = "sent", "Delivered"
    FAILED = "failed", "Failed (gave up retrying)"


class OutboxMessage(models.Model):
    """An after-commit side effect (a letter to e-mail, a change to announce), written in the
    same transaction as the state change that calls for it (``common.outbox``). The dispatcher
    delivers it at least once; its handler is idempotent.

    ``kind`` is the dotted path of the handler (a function marked ``@outbox.handler``);
    ``payload`` holds IDs only, never personal data. ``dedupe_key`` names the intent: writing
    the same intent again re-arms the one row instead of adding another.
    """

    kind = models.CharField(max_length=200)
    payload = models.JSONField(default=dict)
    dedupe_key = models.CharField(max_length=200, unique=True)
    state = models.CharField(max_length=10, choices=OutboxState.choices)
    attempts = models.PositiveIntegerField(default=0)
    last_error = models.TextField(blank=True)
    next_attempt_at = models.DateTimeField()
    created_at = models.DateTimeField()
    delivered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["next_attempt_at", "id"]
        indexes = [
            models.Index(
                fields=["next_attempt_at", "id"],
                condition=models.Q(state="pending"),
                name="outbox_pending_due",
            )
        ]

    def __str__(self) -> str:
        return f"{self.dedupe_key} ({self.state}, {self.attempts} attempts)"
