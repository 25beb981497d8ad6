"""The people and businesses who complain."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords

from ..choices import ComplainantType
from .firms import Firm
from .vulnerability import ComplainantVulnerability


class Complainant(ComplainantVulnerability, models.Model):
    """The person or business complaining. Personal data lives here so that retention can
    anonymise it without touching the counts and dates on the complaint."""

    firm = models.ForeignKey(Firm, on_delete=models.PROTECT, related_name="complainants")
    name = models.CharField(max_length=200)
    email = models.EmailField(blank=True)
    phone = models.CharField(max_length=40, blank=True)
    address = models.TextField(blank=True)
    client_reference = models.CharField(
        max_length=64,
        blank=True,
        db_index=True,
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
    anonymised_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]
        indexes = [models.Index(fields=["firm", "name"])]

    def __str__(self) -> str:
        return self.name


# The complaint recorded its complainant as vulnerable at the time (``Complaint`` field).
VULNERABLE_Q = Q(complainant_vulnerable=True)
