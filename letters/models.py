"""Letter templates (per firm, versioned), the letters themselves, and their deliveries.

A sent letter is evidence: its HTML, PDF bytes and the PDF's SHA-256 are written once, in the
transaction that moves the complaint, and never change afterwards. The model refuses updates,
and on PostgreSQL a trigger refuses them too (migration 0003), so neither the ORM nor raw SQL can
rewrite what the complainant was sent.
"""

from __future__ import annotations

import hashlib
from datetime import datetime
from typing import Any

from django.db import models
from django.db.models import Q
from django_fsm import FSMField, FSMModelMixin, transition
from simple_history.models import HistoricalRecords

from common.dates import uk_date
from common.models import actor_field
from complaints.choices import ForwardPart, LetterLanguage, Outcome
from complaints.models import Communication, Complaint, Firm, Representative

from .choices import Delivery, DeliveryStatus, LetterStatus, LetterType, Recipient


class ImmutableRecordError(Exception):
    """Raised when code tries to change a sent letter or a template version."""


class LetterTemplate(models.Model):
    """One letter type's template for one firm; ``firm`` is None for the system default."""

    firm = models.ForeignKey(
        Firm, null=True, blank=True, on_delete=models.CASCADE, related_name="letter_templates"
    )
    letter_type = models.CharField(max_length=32, choices=LetterType.choices)
    # One template per language: the Welsh variant is chosen for a complainant who asked for
    # Welsh, where the firm offers it (``content.letter_language``).
    language = models.CharField(
        max_length=2, choices=LetterLanguage.choices, default=LetterLanguage.ENGLISH
    )
    created_at = models.DateTimeField()
    history = HistoricalRecords()

    class Meta:
        ordering = ["letter_type", "language"]
        constraints = [
            models.UniqueConstraint(
                fields=["firm", "letter_type", "language"],
                condition=Q(firm__isnull=False),
                name="uniq_firm_letter_template_language",
            ),
            models.UniqueConstraint(
                fields=["letter_type", "language"],
                condition=Q(firm__isnull=True),
                name="uniq_system_letter_template_language",
            ),
        ]

    def __str__(self) -> str:
        owner = self.firm.name if self.firm is not None else "System default"
        welsh = " (Welsh)" if self.language == LetterLanguage.WELSH else ""
        return f"{owner}: {self.get_letter_type_display()}{welsh}"

    @property
    def is_system(self) -> bool:
        return self.firm_id is None


class LetterTemplateVersion(models.Model):
    """An immutable version of a template. Editing a template adds a version; a letter keeps
    the version it was rendered from."""

    template = models.ForeignKey(LetterTemplate, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField()
    subject = models.CharField(max_length=200)
    body = models.TextField()
    note = models.CharField(max_length=200, blank=True)
    created_by = actor_field(blank=True)
    created_at = models.DateTimeField()
    history = HistoricalRecords()

    class Meta:
        ordering = ["template", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["template", "number"], name="uniq_template_version")
        ]

    def __str__(self) -> str:
        return f"{self.template} v{self.number}"

    def save(self, *args, **kwargs):
        if self.pk and not self._state.adding:
            raise ImmutableRecordError("A template version cannot change: save a new version.")
        super().save(*args, **kwargs)


class ApprovalPolicy(models.Model):
    """Four-eyes approval for one firm and letter type: a second user with the approve-letters
    permission approves before the letter can be sent."""

    firm = models.ForeignKey(Firm, on_delete=models.CASCADE, related_name="letter_approval")
    letter_type = models.CharField(max_length=32, choices=LetterType.choices)
    requires_approval = models.BooleanField(default=True)
    updated_by = actor_field(blank=True)
    updated_at = models.DateTimeField()
    history = HistoricalRecords()

    class Meta:
        verbose_name_plural = "approval policies"
        constraints = [
            models.UniqueConstraint(fields=["firm", "letter_type"], name="uniq_letter_approval")
        ]

    def __str__(self) -> str:
        state = "approval required" if self.requires_approval else "no approval"
        return f"{self.firm.name}: {self.get_letter_type_display()} ({state})"


def _leaflet_path(leaflet: FosLeaflet, filename: str) -> str:
    folder = f"letters/fos-leaflets/firm-{leaflet.firm_id}"
    return f"{folder}/v{leaflet.version}-{leaflet.sha256[:12]}.pdf"


class FosLeafletQuerySet(models.QuerySet["FosLeaflet"]):
    def current_for(self, firm_id: int) -> FosLeaflet | None:
        """The firm's current leaflet: its latest version (None until one is uploaded)."""
        return self.filter(firm_id=firm_id).order_by("-version").first()


class FosLeaflet(models.Model):
    """One version of the Financial Ombudsman Service's standard explanatory leaflet, as a firm
    administrator uploaded it (DISP 1.6.2R(1)(d), (2)(c)). The product ships no copy: it is the
    FOS's document. The latest version is the one letters enclose; each sent letter records the
    version that went with it. A version never changes: a new leaflet is a new version."""

    firm = models.ForeignKey(Firm, on_delete=models.CASCADE, related_name="fos_leaflets")
    version = models.PositiveIntegerField()
    label = models.CharField(
        max_length=120, help_text="How the FOS names this edition, e.g. its date or code."
    )
    file = models.FileField(upload_to=_leaflet_path, max_length=200)
    file_name = models.CharField(max_length=200, help_text="The file's name as uploaded.")
    sha256 = models.CharField(max_length=64)
    size = models.PositiveIntegerField()
    checked_on = models.DateField(
        help_text="When the firm checked that this is the FOS's current leaflet."
    )
    uploaded_by = actor_field(blank=True)
    uploaded_at = models.DateTimeField()
    history = HistoricalRecords()
    objects = FosLeafletQuerySet.as_manager()

    class Meta:
        ordering = ["firm", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["firm", "version"], name="uniq_fos_leaflet_version")
        ]

    def __str__(self) -> str:
        return f"{self.firm.name}: {self.describe()}"

    def save(self, *args, **kwargs):
        if self.pk and not self._state.adding:
            raise ImmutableRecordError("A leaflet version cannot change: upload a new version.")
        super().save(*args, **kwargs)

    def describe(self) -> str:
        """As the audit says it: "FOS leaflet v3 (label), checked Tue 1 Dec 2026"."""
        return f"FOS leaflet v{self.version} ({self.label}), checked {uk_date(self.checked_on)}"

    def read(self) -> bytes:
        """The PDF's bytes, from the storage it was saved to."""
        with self.file.open("rb") as f:
            return f.read()

    def as_enclosure(self) -> tuple[str, bytes, str]:
        """(file name, bytes, MIME type), as e-mail attaches it and the print pack appends it."""
        return f"fos-leaflet-v{self.version}.pdf", self.read(), "application/pdf"


class LetterQuerySet(models.QuerySet["Letter"]):
    def update(self, **kwargs: Any) -> int:
        if "status" in kwargs:
            # A bulk update would skip the transitions and their audit entries.
            raise AttributeError("Letter status moves only through its transitions.")
        if self.filter(status=LetterStatus.SENT).exists():
            raise ImmutableRecordError("Sent letters cannot be changed.")
        return super().update(**kwargs)

    def delete(self) -> tuple[int, dict[str, int]]:
        if self.filter(status=LetterStatus.SENT).exists():
            raise ImmutableRecordError("Sent letters cannot be deleted.")
        return super().delete()


# What ``Letter.mark_sent`` writes, for the save that follows it.
SENT_FIELDS = [
    "status",
    "html",
    "pdf",
    "pdf_sha256",
    "sent_at",
    "sent_by",
    "communication",
    "delivery",
    "recipient_email",
    "copy_email",
    "fos_leaflet",
]


class Letter(FSMModelMixin, models.Model):
    """A letter to the complainant (or, DISP 1.7, to the other firm).

    ``status`` is a protected state machine: drafts are edited, submitted, approved (four eyes),
    returned or discarded by ``letters.services``; ``mark_sent`` runs only inside the complaint
    transition the letter belongs to (``letters.lifecycle``)."""

    complaint = models.ForeignKey(Complaint, on_delete=models.CASCADE, related_name="letters")
    letter_type = models.CharField(max_length=32, choices=LetterType.choices)
    status = FSMField(
        max_length=20, choices=LetterStatus.choices, default=LetterStatus.DRAFT, protected=True
    )
    recipient = models.CharField(
        max_length=20, choices=Recipient.choices, default=Recipient.COMPLAINANT
    )
    representative = models.ForeignKey(
        Representative,
        null=True,
        blank=True,
        # RESTRICT: a letter addressed to them keeps its addressee while the letter exists.
        on_delete=models.RESTRICT,
        related_name="letters",
        help_text="The addressee when the letter goes to the complainant's representative.",
    )
    template_version = models.ForeignKey(
        LetterTemplateVersion, on_delete=models.PROTECT, related_name="letters"
    )
    companion = models.OneToOneField(
        "self",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="companion_of",
        help_text="DISP 1.7: the covering letter to the other firm that goes with a notice.",
    )

    # What the letter says, as chosen by the handler (merge inputs).
    outcome = models.CharField(max_length=20, choices=Outcome.choices, blank=True)
    consents_to_waive = models.BooleanField(
        default=False, help_text="DISP 1 Annex 3R: consent to waive the DISP 2.8 time limits."
    )
    reasons = models.TextField(blank=True)
    redress_summary = models.TextField(blank=True)
    expected_final_response_on = models.DateField(null=True, blank=True)
    other_firm_name = models.CharField(max_length=200, blank=True)
    other_firm_contact = models.TextField(blank=True)
    forward_part = models.CharField(max_length=10, choices=ForwardPart.choices, blank=True)
    fos_available = models.BooleanField(
        default=True,
        help_text="False when the activity is not carried on from a UK establishment "
        "(CP26/4 para 3.29): the letter says the FOS is not available.",
    )
    language = models.CharField(
        max_length=2,
        choices=LetterLanguage.choices,
        default=LetterLanguage.ENGLISH,
        help_text="The language of the template it was drafted from.",
    )

    # The rendered content and its mandatory-content checks.
    subject = models.CharField(max_length=200)
    body_text = models.TextField()
    check_results = models.JSONField(default=list)
    includes_six_month_wording = models.BooleanField(default=False)
    includes_fos_referral_right = models.BooleanField(default=False)
    includes_waiver_consent = models.BooleanField(default=False)

    # Workflow.
    created_by = actor_field()
    created_at = models.DateTimeField()
    last_edited_by = actor_field(blank=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    approved_by = actor_field(blank=True)
    approved_at = models.DateTimeField(null=True, blank=True)
    review_note = models.TextField(blank=True)

    # Sending: written once, never changed.
    delivery = models.CharField(max_length=20, choices=Delivery.choices, blank=True)
    recipient_email = models.EmailField(blank=True)
    copy_email = models.EmailField(
        blank=True, help_text="The complainant's copy of a letter to their representative."
    )
    html = models.TextField(blank=True)
    pdf = models.BinaryField(null=True, blank=True)
    pdf_sha256 = models.CharField(max_length=64, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    sent_by = actor_field(blank=True)
    communication = models.OneToOneField(
        Communication,
        null=True,
        blank=True,
        # RESTRICT, not SET_NULL: nulling the link would be an update of a sent letter. A
        # complaint's deletion (retention) removes both through their CASCADE to the complaint.
        on_delete=models.RESTRICT,
        related_name="letter",
    )
    fos_leaflet = models.ForeignKey(
        FosLeaflet,
        null=True,
        blank=True,
        # RESTRICT: a leaflet that went with a letter stays while the letter does.
        on_delete=models.RESTRICT,
        related_name="letters",
        help_text="DISP 1.6.2R(1)(d), (2)(c): the leaflet version enclosed when it was sent.",
    )

    history = HistoricalRecords(excluded_fields=["pdf"])
    objects = LetterQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["complaint", "status"]),
            # The few letters awaiting approval, read on every page of an approver (the
            # supervisor's inbox and its count in the navigation), among every letter ever sent.
            models.Index(
                fields=["submitted_at"],
                condition=Q(status=LetterStatus.AWAITING_APPROVAL),
                name="letter_awaiting_approval",
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status=LetterStatus.SENT)
                | (Q(sent_at__isnull=False) & Q(pdf__isnull=False) & ~Q(pdf_sha256="")),
                name="sent_letter_has_pdf_and_hash",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_letter_type_display()} — {self.complaint_id}"

    def save(self, *args, **kwargs):
        stored_sent = Letter.objects.filter(pk=self.pk, status=LetterStatus.SENT)
        if self.pk and not self._state.adding and stored_sent.exists():
            raise ImmutableRecordError(f"Letter {self.pk} was sent and cannot change.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        if Letter.objects.filter(pk=self.pk, status=LetterStatus.SENT).exists():
            raise ImmutableRecordError(f"Letter {self.pk} was sent and cannot be deleted.")
        return super().delete(*args, **kwargs)

    @property
    def is_sent(self) -> bool:
        return self.status == LetterStatus.SENT

    # --- state machine -------------------------------------------------------------------
    # Transitions change the status and the fields that follow from it, nothing else. The
    # services lock the row, check permissions and the four-eyes rule, call these and save with
    # the audit entry.

    @transition(field=status, source=LetterStatus.editable(), target=LetterStatus.DRAFT)
    def edit(self, *, subject: str, body_text: str, by: Any) -> None:
        """New wording makes the letter a draft again: any approval lapses, since the approver
        approved other words."""
        self.subject = subject
        self.body_text = body_text
        self.last_edited_by = by
        self._clear_approval()

    @transition(field=status, source=LetterStatus.DRAFT, target=LetterStatus.AWAITING_APPROVAL)
    def submit(self, *, on: datetime) -> None:
        self.submitted_at = on
        self.review_note = ""

    @transition(
        field=status,
        source=[LetterStatus.DRAFT, LetterStatus.AWAITING_APPROVAL],
        target=LetterStatus.APPROVED,
    )
    def approve(self, *, by: Any, on: datetime, note: str) -> None:
        """Four eyes: the service has checked that ``by`` neither drafted nor edited it."""
        self.approved_by = by
        self.approved_at = on
        self.review_note = note

    @transition(
        field=status,
        source=[LetterStatus.AWAITING_APPROVAL, LetterStatus.APPROVED],
        target=LetterStatus.DRAFT,
    )
    def return_to_drafter(self, *, note: str) -> None:
        self._clear_approval()
        self.review_note = note

    @transition(field=status, source=LetterStatus.editable(), target=LetterStatus.DISCARDED)
    def discard(self) -> None:
        """Given up: the draft stays in the history but leaves the workspace."""

    @transition(field=status, source=LetterStatus.editable(), target=LetterStatus.SENT)
    def mark_sent(
        self,
        *,
        html: str,
        pdf: bytes,
        sent_at: datetime,
        sent_by: Any,
        communication: Communication,
        delivery: str,
        recipient_email: str,
        copy_email: str = "",
        fos_leaflet: FosLeaflet | None = None,
    ) -> None:
        """The evidence, written once: after this save the letter never changes (see the module
        docstring). ``fos_leaflet``: the leaflet version that goes with it, when it says so."""
        self.html = html
        self.pdf = pdf
        self.pdf_sha256 = hashlib.sha256(pdf).hexdigest()
        self.sent_at = sent_at
        self.sent_by = sent_by
        self.communication = communication
        self.delivery = delivery
        self.recipient_email = recipient_email
        self.copy_email = copy_email
        self.fos_leaflet = fos_leaflet

    def _clear_approval(self) -> None:
        self.submitted_at = None
        self.approved_by = None
        self.approved_at = None

    @property
    def failed_checks(self) -> list[dict[str, Any]]:
        return [c for c in self.check_results if not c["passed"]]

    @property
    def sent_pdf(self) -> bytes:
        """The PDF as sent (a sent letter always has one: ``sent_letter_has_pdf_and_hash``)."""
        if self.pdf is None:
            raise ValueError(f"Letter {self.pk} has not been sent: it has no PDF.")
        return bytes(self.pdf)

    def enclosures(self) -> list[tuple[str, bytes, str]]:
        """What goes with the sent letter, as (file name, bytes, MIME type): the FOS leaflet
        recorded when it was sent. E-mail attaches these; the print pack appends them."""
        return [self.fos_leaflet.as_enclosure()] if self.fos_leaflet is not None else []

    @property
    def drafter_ids(self) -> set[int]:
        """Who wrote the letter's words: none of them may approve it (four eyes)."""
        return {pk for pk in (self.created_by_id, self.last_edited_by_id) if pk}


class LetterDelivery(models.Model):
    """One attempt to deliver a sent letter by email (the letter itself never changes)."""

    letter = models.ForeignKey(Letter, on_delete=models.CASCADE, related_name="deliveries")
    recipient = models.EmailField()
    is_copy = models.BooleanField(
        default=False, help_text="The complainant's copy of a letter to their representative."
    )
    status = models.CharField(max_length=10, choices=DeliveryStatus.choices)
    attempted_at = models.DateTimeField()
    error = models.TextField(blank=True)
    message_id = models.CharField(
        max_length=998,
        blank=True,
        db_index=True,
        help_text="The e-mail's Message-ID: a reply naming it threads onto the complaint.",
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["-attempted_at", "-id"]
        verbose_name_plural = "letter deliveries"

    def __str__(self) -> str:
        return f"{self.letter_id} → {self.recipient}: {self.status}"
