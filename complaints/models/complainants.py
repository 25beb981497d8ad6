"""The people and businesses who complain."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords

from ..choices import ComplainantType, ContactChannel, LetterLanguage
from .firms import Firm
from .vulnerability import ComplainantVulnerability


class Complainant(ComplainantVulnerability, models.Model):
    """The person or business complaining. Personal data lives here so that retention can
    anonymise it without touching the counts and dates on the complaint."""

    # Indexed first in (firm, name), which serves the firm's reads and its deletion check.
    firm = models.ForeignKey(
        Firm, on_delete=models.PROTECT, related_name="complainants", db_index=False
    )
    name = models.CharField(max_length=200)
    email = models.EmailField(blank=True)
    phone = models.CharField(max_length=40, blank=True)
    address = models.TextField(blank=True)
    client_reference = models.CharField(
        max_length=64,
        blank=True,
        help_text="The firm's client ID; links the complainant to client position snapshots.",
    )
    complainant_type = models.CharField(
        max_length=20, choices=ComplainantType.choices, default=ComplainantType.CONSUMER
    )
    is_retail = models.BooleanField(default=True)
    employees = models.PositiveIntegerField(null=True, blank=True)
    turnover_gbp = models.DecimalField(max_digits=16, decimal_places=2, null=True, blank=True)
    turnover_eur = models.DecimalField(max_digits=16, decimal_places=2, null=True, blank=True)
    balance_sheet_gbp = models.DecimalField(max_digits=16, decimal_places=2, null=True, blank=True)
    balance_sheet_eur = models.DecimalField(max_digits=16, decimal_places=2, null=True, blank=True)
    annual_income_gbp = models.DecimalField(max_digits=16, decimal_places=2, null=True, blank=True)
    net_asset_value_gbp = models.DecimalField(
        max_digits=16, decimal_places=2, null=True, blank=True
    )
    thresholds_assessed_on = models.DateField(
        null=True, blank=True, help_text="DISP 2.7.3R: tested when the complaint is referred."
    )
    # Reasonable adjustments (FG21/1; Equality Act 2010 s.20): how the complainant asks to be
    # contacted and to receive letters. Letters and the handler's deadline notices honour them.
    preferred_channel = models.CharField(
        max_length=10, choices=ContactChannel.choices, blank=True, help_text="Blank: no preference."
    )
    contact_times = models.CharField(
        max_length=200, blank=True, help_text="When the complainant prefers to be contacted."
    )
    large_print = models.BooleanField(
        default=False, help_text="Letters in a large-print PDF layout (16pt body)."
    )
    accessible_pdf = models.BooleanField(
        default=False,
        help_text="Letters as PDF/UA-1 (tagged for screen readers). Every PDF is tagged; this "
        "also declares PDF/UA conformance.",
    )
    plain_text_email = models.BooleanField(
        default=False, help_text="E-mails with a plain-text body only (no HTML part)."
    )
    letter_language = models.CharField(
        max_length=2,
        choices=LetterLanguage.choices,
        default=LetterLanguage.ENGLISH,
        help_text="Welsh only where the firm offers Welsh letters.",
    )
    anonymised_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    # No read of the history looks it up by client reference (issue 18).
    history = HistoricalRecords(no_db_index=["client_reference"])

    class Meta:
        ordering = ["name"]
        indexes = [
            models.Index(fields=["firm", "name"]),
            # Equality only (snapshot matching): no varchar_pattern_ops twin for LIKE 'x%'.
            models.Index(fields=["client_reference"], name="complainant_client_ref_idx"),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def letter_channel(self) -> str:
        """How letters go unless the handler chooses otherwise: the preferred channel, else
        e-mail where there is an address and post where there is none. Never e-mail without an
        address, whatever was asked for."""
        if self.preferred_channel and (
            self.preferred_channel != ContactChannel.EMAIL or self.email
        ):
            return self.preferred_channel
        return ContactChannel.EMAIL if self.email else ContactChannel.POST

    @property
    def contact_adjustments(self) -> list[str]:
        """How and when the complainant asks to be contacted (a call-back task shows them)."""
        said = []
        if self.preferred_channel:
            said.append(f"Contact by {self.get_preferred_channel_display().lower()}")
        if self.contact_times:
            said.append(f"Contact times: {self.contact_times}")
        return said

    @property
    def adjustments(self) -> list[str]:
        """The reasonable adjustments in force, as the complaint page and notices say them."""
        said = self.contact_adjustments
        for flag, label in (
            (self.large_print, "Large print letters"),
            (self.accessible_pdf, "Accessible (PDF/UA) letters"),
            (self.plain_text_email, "Plain-text e-mail"),
            (self.letter_language == LetterLanguage.WELSH, "Letters in Welsh"),
        ):
            if flag:
                said.append(label)
        return said


# The complaint recorded its complainant as vulnerable at the time (``Complaint`` field).
VULNERABLE_Q = Q(complainant_vulnerable=True)
