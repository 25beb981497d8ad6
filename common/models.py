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
    # Unique by a constraint rather than ``unique=True``, which on PostgreSQL adds a second
    # index (``varchar_pattern_ops``, for LIKE) that no read uses: a register import writes a
    # message per complaint, each an entry in every index (issue 18).
    dedupe_key = models.CharField(max_length=200)
    state = models.CharField(max_length=10, choices=OutboxState.choices)
    attempts = models.PositiveIntegerField(default=0)
    last_error = models.TextField(blank=True)
    next_attempt_at = models.DateTimeField()
    created_at = models.DateTimeField()
    delivered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["next_attempt_at", "id"]
        constraints = [
            # The name ``unique=True`` gave it: the same constraint and index as before.
            models.UniqueConstraint(
                fields=["dedupe_key"], name="common_outboxmessage_dedupe_key_key"
            )
        ]
        indexes = [
            models.Index(
                fields=["next_attempt_at", "id"],
                condition=models.Q(state="pending"),
                name="outbox_pending_due",
            )
        ]

    def __str__(self) -> str:
        return f"{self.dedupe_key} ({self.state}, {self.attempts} attempts)"


class JobState(models.TextChoices):
    QUEUED = "queued", "Queued"
    RUNNING = "running", "Running"
    SUCCEEDED = "succeeded", "Finished"
    FAILED = "failed", "Failed"
    CANCELLED = "cancelled", "Cancelled"


ACTIVE_JOB_STATES = (JobState.QUEUED, JobState.RUNNING)


class UploadJob(models.Model):
    """An import running in the background (docs/jobs.md "Upload jobs"): the uploaded file, kept
    in Django storage only until the job ends, and how far the job has got.

    ``kind`` names what the job does (``register_preview``, ``register_commit``, ``snapshot``);
    the app that owns the kind scopes the job's pages and API to its own kinds. The same file for
    the same purpose (``dedupe_key``, e.g. the snapshot's date and the file's SHA-256) has at most
    one job queued, running or finished per firm: the unique index makes concurrent uploads wait
    for the first and then find it.
    """

    kind = models.CharField(max_length=40)
    firm = models.ForeignKey("complaints.Firm", on_delete=models.CASCADE, related_name="+")
    uploaded_by = actor_field()
    uploaded_at = models.DateTimeField()
    file = models.FileField(upload_to="uploads/", max_length=200, blank=True)
    filename = models.CharField(max_length=255)
    file_sha256 = models.CharField("file SHA-256", max_length=64, blank=True)
    file_size = models.PositiveBigIntegerField(default=0)
    params = models.JSONField(default=dict, blank=True)
    dedupe_key = models.CharField(max_length=200, blank=True)
    state = models.CharField(max_length=10, choices=JobState.choices, default=JobState.QUEUED)
    stage = models.CharField(max_length=40, blank=True, help_text="e.g. checking, loading.")
    rows_done = models.PositiveIntegerField(default=0)
    rows_total = models.PositiveIntegerField(null=True, blank=True, help_text="When known.")
    error = models.TextField(blank=True, help_text="Why it failed, for the person who uploaded.")
    result_url = models.CharField(max_length=200, blank=True)
    result_note = models.CharField(max_length=300, blank=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    cancelled_by = actor_field(blank=True)

    class Meta:
        ordering = ["-uploaded_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "firm", "dedupe_key"],
                condition=~models.Q(dedupe_key="")
                & models.Q(state__in=["queued", "running", "succeeded"]),
                name="uniq_upload_job_per_file",
            )
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.filename} ({self.state})"

    @property
    def is_active(self) -> bool:
        return self.state in ACTIVE_JOB_STATES


class ChainLayout(models.Model):
    """The columns a chained table's rows are hashed over: the table's columns when its chain
    trigger was (re)installed. A row keeps the layout it was chained with, so a column added
    later does not change what its hash covers (docs/audit.md "Tamper-evident chain")."""

    table_name = models.CharField(max_length=63)
    columns = models.JSONField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["table_name", "columns"], name="uniq_chain_layout")
        ]

    def __str__(self) -> str:
        return f"{self.table_name} layout {self.pk}"


class ChainHead(models.Model):
    """The end of one chain (one object of one table): its length and last hash. Locking this
    row is what makes concurrent inserts for one object chain one after the other. Its keys and
    the links' compare bytewise (collation "C", set by ``install_chains`` on PostgreSQL)."""

    table_name = models.CharField(max_length=63)
    object_id = models.CharField(max_length=64)
    seq = models.PositiveBigIntegerField()
    hash = models.CharField(max_length=64)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["table_name", "object_id"], name="uniq_chain_head")
        ]

    def __str__(self) -> str:
        return f"{self.table_name} {self.object_id}: {self.seq} links"


class ChainLink(models.Model):
    """One link of a chain, written only by the database (common.chain_sql): a history row or a
    sent letter (``kind`` "row"), or a tombstone (``kind`` "rewrite") left when DISP 1.9
    retention rewrote a chained row: who, when, why and the hash of what was removed.

    ``hash`` = SHA-256 of ``prev_hash`` + ``payload_hash`` (hex); ``payload_hash`` is the
    SHA-256 of the row's canonical content (a row) or of the tombstone's fields (a rewrite)."""

    ROW = "row"
    REWRITE = "rewrite"

    table_name = models.CharField(max_length=63)
    object_id = models.CharField(max_length=64)
    seq = models.PositiveBigIntegerField()
    kind = models.CharField(max_length=10)
    row_id = models.BigIntegerField()
    # No constraint and no index (issue 18): a foreign key checked every link at COMMIT, about
    # 14 us a link (0.85 s of a 10,000-row register import's commit); the layout a link names is
    # the one its trigger just found or recorded, and the database refuses changing or deleting
    # a layout (``audit_layout_fixed``, common.chain_sql), which is what the constraint kept.
    layout = models.ForeignKey(
        ChainLayout,
        on_delete=models.PROTECT,
        related_name="+",
        db_constraint=False,
        db_index=False,
    )
    prev_hash = models.CharField(max_length=64)
    payload_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64)
    at = models.DateTimeField()
    removed_hash = models.CharField(max_length=64, blank=True)
    now_hash = models.CharField(max_length=64, blank=True)
    actor = models.CharField(max_length=200, blank=True)
    reason = models.CharField(max_length=100, blank=True)

    class Meta:
        # The one index besides the key: a chain's links in order. A row's own link is found
        # through it too, by the row's object and id (the verifier, a retention rewrite's
        # layout): an index on (table, row) cost every link an entry, about 1.8 us a link
        # (issue 18: 49,000 links a 10,000-row register import), for reads that know the
        # object as well as the row.
        constraints = [
            models.UniqueConstraint(
                fields=["table_name", "object_id", "seq"], name="uniq_chain_link_seq"
            )
        ]

    def __str__(self) -> str:
        return f"{self.table_name} {self.object_id} #{self.seq} ({self.kind})"


class HistoryRewrite(models.Model):
    """A transaction that DISP 1.9 retention opened for rewriting history. Written only by the
    SECURITY DEFINER function ``audit_history_rewrite_open`` (common.history_guard); the
    history triggers allow an UPDATE only in the transaction ``txid`` names."""

    txid = models.BigIntegerField(unique=True)
    reason = models.CharField(max_length=100)
    actor = models.CharField(max_length=200)
    at = models.DateTimeField()
    closed_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"history rewrite by {self.actor} ({self.reason})"
