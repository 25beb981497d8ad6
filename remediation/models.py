"""Outcomes, redress, root causes, incidents and the action register.

DISP 1.4.1R(3) and (5): offer redress or remedial action when appropriate and comply promptly
with an accepted offer. DISP 1.3.3R: identify and remedy recurring or systemic problems. Every row
here changes only through ``remediation.services``, which lock, validate and record a
history entry naming the use case and the actor.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import TYPE_CHECKING

from django.conf import settings
from django.db import models
from django.db.models import Q
from django_fsm import FSMField, FSMModelMixin, transition
from simple_history.models import HistoricalRecords

from common.dates import london_date
from common.models import actor_field
from complaints.choices import RedressKind, RedressStatus
from complaints.models import Complaint, Firm

if TYPE_CHECKING:
    from django.contrib.auth.models import User


class InterestBasis(models.TextChoices):
    """How interest was worked out (disp-rules §4.4, E51). Stored as evidence, never computed
    here: a weighted Bank of England rate needs a maintained base-rate history."""

    SIMPLE_8 = "8pc_simple", "8% simple a year"
    BOE_PLUS_1 = "boe_base_avg_plus_1", "Bank of England base (average) + 1%"
    AS_DIRECTED = "as_directed", "As directed (FOS or court)"


class InterestPurpose(models.TextChoices):
    DEPRIVATION = "deprivation", "Deprivation of money"
    LATE_PAYMENT = "late_payment", "Late payment of an award"


class RedressItemQuerySet(models.QuerySet):
    def overdue(self, today: date) -> RedressItemQuerySet:
        """DISP 1.4.1R(5): accepted redress still unpaid after the firm's payment target."""
        return self.filter(status=RedressStatus.ACCEPTED, payment_due_on__lt=today)

    def with_overdue(self, today: date) -> RedressItemQuerySet:
        return self.annotate(
            is_overdue=models.ExpressionWrapper(
                Q(status=RedressStatus.ACCEPTED, payment_due_on__lt=today),
                output_field=models.BooleanField(),
            )
        )


class RedressItem(FSMModelMixin, models.Model):
    """One line of the redress ledger: offered, then accepted or declined, then paid."""

    complaint = models.ForeignKey(Complaint, on_delete=models.PROTECT, related_name="redress_items")
    kind = models.CharField(max_length=32, choices=RedressKind.choices)
    status = FSMField(
        max_length=12, choices=RedressStatus.choices, default=RedressStatus.OFFERED, protected=True
    )
    description = models.TextField(blank=True)
    amount_gbp = models.DecimalField(
        "amount (GBP)", max_digits=14, decimal_places=2, null=True, blank=True
    )
    # Crypto losses: what was lost and how it was valued, kept as evidence of the amount.
    asset = models.CharField(max_length=20, blank=True, help_text="Ticker, e.g. BTC or GBPN.")
    quantity = models.DecimalField(max_digits=38, decimal_places=18, null=True, blank=True)
    valuation_date = models.DateField(null=True, blank=True)
    unit_price_gbp = models.DecimalField(
        "unit price (GBP)", max_digits=24, decimal_places=8, null=True, blank=True
    )
    price_source = models.CharField(
        max_length=200, blank=True, help_text="E.g. 'Firm order book close 14:00 UTC'."
    )
    # Interest items: the basis and the period, as stated, never derived.
    interest_basis = models.CharField(max_length=24, choices=InterestBasis.choices, blank=True)
    interest_purpose = models.CharField(max_length=16, choices=InterestPurpose.choices, blank=True)
    interest_from = models.DateField(null=True, blank=True)
    interest_to = models.DateField(null=True, blank=True)
    fos_referred_on = models.DateField(
        null=True, blank=True, help_text="When the complaint went to the FOS, if it did (E51)."
    )
    interest_direction = models.TextField(blank=True, help_text="The direction, if as directed.")

    offered_at = models.DateTimeField()
    offered_by = actor_field()
    accepted_at = models.DateTimeField(null=True, blank=True)
    payment_due_on = models.DateField(
        null=True,
        blank=True,
        help_text="Acceptance date + the firm's payment target, fixed at acceptance.",
    )
    declined_at = models.DateTimeField(null=True, blank=True)
    decline_reason = models.TextField(blank=True)
    paid_at = models.DateTimeField(null=True, blank=True)
    payment_reference = models.CharField(max_length=100, blank=True)
    version = models.PositiveIntegerField(default=1)
    history = HistoricalRecords()
    objects = RedressItemQuerySet.as_manager()

    class Meta:
        ordering = ["offered_at", "id"]
        indexes = [
            models.Index(fields=["status", "payment_due_on"]),
            models.Index(fields=["complaint", "status"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(amount_gbp__isnull=True) | Q(amount_gbp__gte=0),
                name="redress_amount_not_negative",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} on {self.complaint_id}"

    @property
    def crypto_value_gbp(self) -> Decimal | None:
        if self.quantity is None or self.unit_price_gbp is None:
            return None
        return (self.quantity * self.unit_price_gbp).quantize(Decimal("0.01"))

    # --- state machine --------------------------------------------------------------------
    # Transitions set the status and the fields that follow from it; remediation.services
    # locks, checks, saves and writes the history. Paid and declined are final.

    @transition(field=status, source=RedressStatus.OFFERED, target=RedressStatus.ACCEPTED)
    def accept(self, *, at: datetime, payment_target_days: int) -> None:
        """DISP 1.4.1R(5): accepted redress must be paid promptly. The due date is fixed here,
        so a later change to the firm's target does not move it."""
        self.accepted_at = at
        self.payment_due_on = london_date(at) + timedelta(days=payment_target_days)

    @transition(field=status, source=RedressStatus.OFFERED, target=RedressStatus.DECLINED)
    def decline(self, *, at: datetime, reason: str) -> None:
        self.declined_at = at
        self.decline_reason = reason

    @transition(field=status, source=RedressStatus.ACCEPTED, target=RedressStatus.PAID)
    def pay(self, *, at: datetime, reference: str) -> None:
        """Paid, or for remedial action carried out: the accepted offer is complied with."""
        self.paid_at = at
        self.payment_reference = reference


class NoRedressDecision(models.Model):
    """The handler's recorded reason why no redress or remedial action is appropriate on an
    upheld complaint (DISP 1.4.1R(3): redress 'when appropriate')."""

    complaint = models.OneToOneField(
        Complaint, on_delete=models.PROTECT, related_name="no_redress_decision"
    )
    reason = models.TextField()
    decided_at = models.DateTimeField()
    decided_by = actor_field()
    history = HistoricalRecords()

    def __str__(self) -> str:
        return f"No redress on {self.complaint_id}"


class RootCause(models.Model):
    """A node of the firm's root-cause taxonomy (administrator-managed; never deleted once
    used, only deactivated, so past analysis keeps its labels)."""

    firm = models.ForeignKey(Firm, on_delete=models.PROTECT, related_name="root_causes")
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )
    name = models.CharField(max_length=120)
    description = models.TextField(blank=True)
    active = models.BooleanField(default=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["firm", "parent", "name"],
                condition=Q(parent__isnull=False),
                name="uniq_root_cause_child_name",
            ),
            models.UniqueConstraint(
                fields=["firm", "name"],
                condition=Q(parent__isnull=True),
                name="uniq_root_cause_top_name",
            ),
        ]

    def __str__(self) -> str:
        return self.path

    @property
    def path(self) -> str:
        # Callers select_related("parent__parent") for lists; depth is small by design.
        parts: list[str] = []
        node: RootCause | None = self
        while node is not None:
            parts.append(node.name)
            node = node.parent
        return " › ".join(reversed(parts))


class ComplaintRootCause(models.Model):
    complaint = models.ForeignKey(
        Complaint, on_delete=models.CASCADE, related_name="root_cause_links"
    )
    root_cause = models.ForeignKey(
        RootCause, on_delete=models.PROTECT, related_name="complaint_links"
    )
    note = models.CharField(max_length=300, blank=True)
    assigned_at = models.DateTimeField()
    assigned_by = actor_field()
    history = HistoricalRecords()

    class Meta:
        ordering = ["assigned_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["complaint", "root_cause"], name="uniq_complaint_root_cause"
            )
        ]

    def __str__(self) -> str:
        return f"{self.complaint_id} ← {self.root_cause_id}"


class Incident(models.Model):
    """A named event (an outage, a de-peg, a custody incident) that brings many complaints."""

    firm = models.ForeignKey(Firm, on_delete=models.PROTECT, related_name="incidents")
    name = models.CharField(max_length=160)
    description = models.TextField(blank=True)
    started_at = models.DateTimeField()
    ended_at = models.DateTimeField(null=True, blank=True, help_text="Empty while ongoing.")
    created_by = actor_field()
    created_at = models.DateTimeField()
    history = HistoricalRecords()

    class Meta:
        ordering = ["-started_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["firm", "name"], name="uniq_incident_name"),
            models.CheckConstraint(
                condition=Q(ended_at__isnull=True) | Q(ended_at__gte=models.F("started_at")),
                name="incident_ends_after_start",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class IncidentLink(models.Model):
    incident = models.ForeignKey(Incident, on_delete=models.CASCADE, related_name="links")
    complaint = models.ForeignKey(
        Complaint, on_delete=models.CASCADE, related_name="incident_links"
    )
    linked_at = models.DateTimeField()
    linked_by = actor_field()
    history = HistoricalRecords()

    class Meta:
        ordering = ["linked_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["incident", "complaint"], name="uniq_incident_link")
        ]

    def __str__(self) -> str:
        return f"{self.complaint_id} → {self.incident_id}"


class BulkAction(models.TextChoices):
    ASSIGN = "assign", "Assign"
    ACKNOWLEDGE = "acknowledge", "Acknowledge with the standard letter"


class BulkRun(models.Model):
    """What one bulk action on an incident's complaints did, complaint by complaint.

    ``results`` is a list of ``{"complaint_id", "reference", "ok", "reason"}``. Each complaint's
    own change is audited on the complaint by the service that made it.
    """

    incident = models.ForeignKey(Incident, on_delete=models.CASCADE, related_name="bulk_runs")
    action = models.CharField(max_length=20, choices=BulkAction.choices)
    parameters = models.JSONField(default=dict)
    actor = actor_field()
    started_at = models.DateTimeField()
    finished_at = models.DateTimeField(null=True, blank=True)
    succeeded = models.PositiveIntegerField(default=0)
    failed = models.PositiveIntegerField(default=0)
    results = models.JSONField(default=list)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-started_at", "-id"]

    def __str__(self) -> str:
        return f"{self.get_action_display()} on {self.incident}"


class ActionStatus(models.TextChoices):
    OPEN = "open", "Open"
    IN_PROGRESS = "in_progress", "In progress"
    DONE = "done", "Done (fix in place)"
    VERIFIED_EFFECTIVE = "verified_effective", "Verified effective"
    NOT_EFFECTIVE = "not_effective", "Not effective"


class RemediationAction(FSMModelMixin, models.Model):
    """An entry in the action register (DISP 1.3.3R: remedy recurring or systemic problems,
    and check that the remedy worked)."""

    firm = models.ForeignKey(Firm, on_delete=models.PROTECT, related_name="remediation_actions")
    title = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    root_cause = models.ForeignKey(
        RootCause, null=True, blank=True, on_delete=models.PROTECT, related_name="actions"
    )
    incident = models.ForeignKey(
        Incident, null=True, blank=True, on_delete=models.PROTECT, related_name="actions"
    )
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="remediation_actions"
    )
    due_on = models.DateField()
    status = FSMField(
        max_length=20, choices=ActionStatus.choices, default=ActionStatus.OPEN, protected=True
    )
    fix_date = models.DateField(null=True, blank=True, help_text="When the fix went live.")
    review_on = models.DateField(help_text="Effectiveness review date.")
    review_note = models.TextField(blank=True)
    reviewed_at = models.DateTimeField(null=True, blank=True)
    reviewed_by = actor_field(blank=True)
    created_at = models.DateTimeField()
    version = models.PositiveIntegerField(default=1)
    history = HistoricalRecords()

    class Meta:
        ordering = ["due_on", "id"]
        indexes = [models.Index(fields=["firm", "status", "due_on"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(root_cause__isnull=False) | Q(incident__isnull=False),
                name="action_raised_from_cause_or_incident",
            )
        ]

    def __str__(self) -> str:
        return self.title

    # --- state machine --------------------------------------------------------------------
    # Open → in progress → done (the fix is live) → reviewed: verified effective (final) or
    # not effective, which goes back to work; the failed review stays in the history.

    @transition(
        field=status,
        source=[ActionStatus.OPEN, ActionStatus.DONE, ActionStatus.NOT_EFFECTIVE],
        target=ActionStatus.IN_PROGRESS,
    )
    def start_work(self) -> None:
        """Work starts, or starts again on a fix that is done but not yet proved."""

    @transition(field=status, source=ActionStatus.IN_PROGRESS, target=ActionStatus.OPEN)
    def stop_work(self) -> None:
        """Back on the list: nobody is working on it for now."""

    @transition(
        field=status,
        source=[ActionStatus.OPEN, ActionStatus.IN_PROGRESS],
        target=ActionStatus.DONE,
    )
    def complete(self, *, fix_date: date) -> None:
        self.fix_date = fix_date

    @transition(field=status, source=ActionStatus.DONE, target=ActionStatus.VERIFIED_EFFECTIVE)
    def record_effective(self, *, note: str, at: datetime, by: User | None) -> None:
        """DISP 1.3.3R: the review found the remedy worked."""
        self._review(note, at, by)

    @transition(field=status, source=ActionStatus.DONE, target=ActionStatus.NOT_EFFECTIVE)
    def record_not_effective(self, *, note: str, at: datetime, by: User | None) -> None:
        self._review(note, at, by)

    def _review(self, note: str, at: datetime, by: User | None) -> None:
        self.review_note = note
        self.reviewed_at = at
        self.reviewed_by = by
