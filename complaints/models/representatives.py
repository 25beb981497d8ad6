"""Who acts for a complainant, and the evidence of their authority.

A representative with valid authority receives the complainant's letters (``letters.content``
addresses them); the FOS referral reads whether they are a professional representative (its fee
depends on it). The evidence file itself waits for evidence uploads: the record names the
document and its reference.
"""

from __future__ import annotations

from datetime import date

from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords

from common.dates import uk_date
from common.models import actor_field

from ..choices import RepresentativeKind
from .complainants import Complainant
from .firms import Firm

# A complaint may be brought by a person authorised by the complainant or by law.
AUTHORITY_RULE = "DISP 2.7.2R"


class RepresentativeQuerySet(models.QuerySet["Representative"]):
    def active(self) -> RepresentativeQuerySet:
        return self.filter(ended_on__isnull=True)

    def correspondent_for(self, complainant_id: int) -> Representative | None:
        """The active representative of the complainant who receives the letters, if any."""
        return self.active().filter(complainant_id=complainant_id, receives_letters=True).first()


class Representative(models.Model):
    """A person or organisation acting for a complainant (DISP 2.7.2R)."""

    firm = models.ForeignKey(Firm, on_delete=models.PROTECT, related_name="representatives")
    complainant = models.ForeignKey(
        Complainant, on_delete=models.CASCADE, related_name="representatives"
    )
    kind = models.CharField(max_length=20, choices=RepresentativeKind.choices)
    name = models.CharField(max_length=200, help_text="The person who acts, or the firm's name.")
    organisation = models.CharField(max_length=200, blank=True)
    address = models.TextField(blank=True)
    email = models.EmailField(blank=True)
    regulator_reference = models.CharField(
        "FCA/SRA reference",
        max_length=40,
        blank=True,
        help_text="Required for a claims management company (FCA FRN) or a solicitor (SRA number).",
    )
    receives_letters = models.BooleanField(
        default=True, help_text="Letters are addressed to them while their authority is valid."
    )
    copy_to_complainant = models.BooleanField(
        default=False, help_text="The authority says the complainant gets a copy of each letter."
    )
    # Evidence of authority: what it is, its reference, when it came and who checked it.
    authority_document = models.CharField(
        max_length=200, blank=True, help_text="e.g. Letter of authority signed by the complainant"
    )
    authority_reference = models.CharField(
        max_length=100, blank=True, help_text="Where the evidence is filed (its reference)."
    )
    authority_received_on = models.DateField(null=True, blank=True)
    authority_checked_by = actor_field(blank=True)
    authority_checked_on = models.DateField(null=True, blank=True)
    authority_expires_on = models.DateField(
        null=True, blank=True, help_text="Blank: the authority does not expire."
    )
    ended_on = models.DateField(null=True, blank=True)
    ended_reason = models.CharField(max_length=300, blank=True)
    created_by = actor_field(blank=True)
    created_at = models.DateTimeField()
    updated_at = models.DateTimeField(auto_now=True)
    history = HistoricalRecords()
    objects = RepresentativeQuerySet.as_manager()

    class Meta:
        ordering = ["ended_on", "-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["complainant"],
                condition=Q(ended_on__isnull=True, receives_letters=True),
                name="one_letter_receiving_representative",
            ),
            models.CheckConstraint(
                condition=Q(authority_checked_on__isnull=True)
                | Q(authority_received_on__isnull=False),
                name="representative_checked_authority_received",
            ),
        ]
        indexes = [models.Index(fields=["firm", "complainant"])]

    def __str__(self) -> str:
        return self.display_name

    @property
    def display_name(self) -> str:
        if self.organisation and self.organisation != self.name:
            return f"{self.name}, {self.organisation}"
        return self.name

    @property
    def is_professional(self) -> bool:
        return self.kind in RepresentativeKind.professional()

    def authority_problem(self, on: date) -> tuple[str, str] | None:
        """Why letters may not go to them on ``on``, as (field, reason); None when they may."""
        if self.ended_on is not None and self.ended_on <= on:
            return "ended_on", f"{self.display_name} stopped acting on {uk_date(self.ended_on)}."
        if self.authority_received_on is None:
            return (
                "authority_received_on",
                f"No evidence of {self.display_name}'s authority has been received.",
            )
        if self.authority_checked_on is None:
            return (
                "authority_checked_on",
                f"Nobody has checked the evidence of {self.display_name}'s authority.",
            )
        if self.authority_expires_on is not None and self.authority_expires_on < on:
            return (
                "authority_expires_on",
                f"{self.display_name}'s authority expired on {uk_date(self.authority_expires_on)}.",
            )
        return None
