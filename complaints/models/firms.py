"""Firms (the FCA-regulated legal entities), who works in them, and their calendars."""

from __future__ import annotations

from datetime import time

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from simple_history.models import HistoricalRecords

from common.dates import uk_date
from common.models import actor_field

from ..choices import Activity, HolidayRegion, Nation, Role, UnknownEventDateWording


class Firm(models.Model):
    """A legal entity regulated by the FCA; complaints, returns and FOS fees are per firm."""

    name = models.CharField(max_length=200)
    frn = models.CharField(
        "FRN",
        max_length=7,
        unique=True,
        validators=[RegexValidator(r"^\d{6,7}$", "An FRN is 6 or 7 digits.")],
    )
    reference_prefix = models.CharField(
        max_length=6,
        unique=True,
        validators=[RegexValidator(r"^[A-Z]{2,6}$", "2 to 6 capital letters.")],
        help_text="Prefix of complaint references, e.g. NTH gives NTH-2026-00042.",
    )
    nation = models.CharField(
        max_length=20,
        choices=Nation.choices,
        default=Nation.ENGLAND,
        help_text="Where the complaint-handling establishment is: its bank holidays drive DISP "
        "business-day deadlines (disp-rules A3).",
    )
    close_of_business = models.TimeField(
        default=time(17, 0),
        help_text="DISP does not define close of business (A1): a firm setting.",
    )
    defer_after_hours_receipt = models.BooleanField(
        default=False,
        help_text="Legacy DISP 1.5.3G reading (deleted 2016): treat receipt after close of "
        "business or on a non-business day as the next business day. Off by default (A1).",
    )
    accounting_reference_month = models.PositiveSmallIntegerField(
        default=3, validators=[MinValueValidator(1), MaxValueValidator(12)]
    )
    accounting_reference_day = models.PositiveSmallIntegerField(
        default=31, validators=[MinValueValidator(1), MaxValueValidator(31)]
    )
    authorised_on = models.DateField(null=True, blank=True)
    stablecoin_issuer_only = models.BooleanField(
        default=False,
        help_text="Only a permission for issuing qualifying stablecoin: SUP 16.34.6R(3)-(4) "
        "client counts are not required (A12).",
    )
    address = models.TextField(blank=True)
    complaints_email = models.EmailField(blank=True)
    complaints_phone = models.CharField(max_length=40, blank=True)
    oversight_individual_name = models.CharField(
        max_length=200, blank=True, help_text="DISP 1.3.7R oversight individual."
    )
    oversight_individual_role = models.CharField(max_length=200, blank=True)
    oversight_individual_smf = models.CharField("SMF number", max_length=20, blank=True)
    acknowledgement_target_business_days = models.PositiveSmallIntegerField(
        default=1,
        help_text="Firm policy for a 'prompt' acknowledgement (DISP 1.6.1R sets no number).",
    )
    redress_payment_target_days = models.PositiveSmallIntegerField(
        default=28, help_text="Accepted redress unpaid after this many days is overdue."
    )
    retention_years = models.PositiveSmallIntegerField(
        default=3,
        validators=[MinValueValidator(3)],
        help_text="DISP 1.9.1R(2): at least three years from receipt.",
    )
    unknown_event_date_wording = models.CharField(
        "letters when the event date is unknown",
        max_length=20,
        choices=UnknownEventDateWording.choices,
        default=UnknownEventDateWording.OFFER_FOS,
        help_text="CP26/4 para 3.24: the Financial Ombudsman Service may consider only acts or "
        "omissions on or after the regime's commencement. When the handler records that the "
        "event date is unknown, letters either offer the Ombudsman (treated as after "
        "commencement) or say it may not be able to consider the complaint.",
    )
    require_two_factor = models.BooleanField(
        "require two-factor sign-in",
        default=False,
        help_text="Every member signs in with a password and a code from an authenticator app "
        "(or a single-use recovery code); a member without one sets it up before any page or "
        "API session works.",
    )
    identity_provider = models.OneToOneField(
        "socialaccount.SocialApp",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="firm",
        help_text="The firm's OpenID Connect identity provider (issuer, client ID and secret): "
        "members may sign in through it; only an existing member's verified e-mail gets in.",
    )
    offers_welsh = models.BooleanField(
        "offers letters in Welsh",
        default=False,
        help_text="Complainants may choose Welsh letters (the firm's Welsh templates, reviewed by "
        "a Welsh speaker at the firm).",
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return f"{self.name} (FRN {self.frn})"

    def activity_from_uk(self, activity: str) -> bool | None:
        """Whether the firm carries on ``activity`` from a UK establishment (None: not carried)."""
        # Read with the firm (prefetched), the rows themselves: ``all()`` would give the same
        # rows through a new manager and queryset on every call (the register import asks
        # once a row).
        prefetched = getattr(self, "_prefetched_objects_cache", {}).get("activities")
        for fa in self.activities.all() if prefetched is None else prefetched:
            if fa.activity == activity:
                return fa.from_uk_establishment
        return None


class FirmActivity(models.Model):
    firm = models.ForeignKey(Firm, on_delete=models.CASCADE, related_name="activities")
    activity = models.CharField(max_length=32, choices=Activity.choices)
    from_uk_establishment = models.BooleanField(
        default=True,
        help_text="DISP 2.6 / CP26/4 para 3.27: no FOS access for activity not carried on from "
        "a UK establishment.",
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name_plural = "firm activities"
        constraints = [
            models.UniqueConstraint(fields=["firm", "activity"], name="uniq_firm_activity")
        ]

    def __str__(self) -> str:
        return f"{self.firm.name}: {self.get_activity_display()}"


class Membership(models.Model):
    """A user's role in one firm. A user may hold different roles in different firms."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships"
    )
    firm = models.ForeignKey(Firm, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(max_length=20, choices=Role.choices)
    team = models.CharField(max_length=80, blank=True)
    two_factor_reset_at = models.DateTimeField(
        null=True,
        blank=True,
        help_text="When a firm administrator last removed this member's two-factor "
        "authenticator and recovery codes (the history says who).",
    )
    history = HistoricalRecords()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "firm"], name="uniq_membership_user_firm")
        ]

    def __str__(self) -> str:
        return f"{self.user} — {self.get_role_display()} at {self.firm.name}"


class BankHoliday(models.Model):
    """A bank holiday proclaimed for one region (e.g. by Royal Proclamation under the Banking and
    Financial Dealings Act 1971), entered once however many nations share it.

    The calendar is data, not an algorithm: these days are added to the ``holidays`` package's.
    A proclamation that moves a bank holiday is one row: ``date`` is the new bank holiday and
    ``replaces`` the day that stops being one, so the change has one audit entry.
    """

    nation = models.CharField(
        "applies in", max_length=20, choices=HolidayRegion.choices, db_index=True
    )
    date = models.DateField()
    replaces = models.DateField(
        null=True,
        blank=True,
        help_text="When the proclamation moves a bank holiday: the day that is no longer one.",
    )
    name = models.CharField(max_length=120)
    created_by = actor_field(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["date"]
        constraints = [models.UniqueConstraint(fields=["nation", "date"], name="uniq_bank_holiday")]

    def __str__(self) -> str:
        return f"{uk_date(self.date)} {self.name} ({self.get_nation_display()})"

    def describe(self) -> str:
        """The change in words, e.g. "England and Wales: bank holiday moved from Mon 4 May 2020
        to Fri 8 May 2020 (VE Day)"."""
        where = self.get_nation_display()
        if self.replaces:
            return (
                f"{where}: bank holiday moved from {uk_date(self.replaces)} to "
                f"{uk_date(self.date)} ({self.name})"
            )
        return f"{where}: bank holiday added on {uk_date(self.date)} ({self.name})"


class ReferenceCounter(models.Model):
    """Per firm and year, the last complaint number issued (locked when a number is taken)."""

    firm = models.ForeignKey(Firm, on_delete=models.CASCADE, related_name="+")
    year = models.PositiveSmallIntegerField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["firm", "year"], name="uniq_reference_counter")
        ]

    def __str__(self) -> str:
        return f"{self.firm_id}/{self.year}: {self.last}"
