"""The case: firms (legal entities), complainants, complaints and what was sent to them.

The complaint's ``status`` is a protected finite-state machine. Nothing assigns it directly:
``complaints.services`` is the only write path, and each service records a history entry whose
change reason names the use case (``complaint.acknowledge``) and whose user is the actor.
"""

from __future__ import annotations

from datetime import date, datetime, time

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.db.models import Case, F, Q, When
from django_fsm import FSMField, FSMModelMixin, transition
from simple_history.models import HistoricalRecords

from .choices import (
    Activity,
    Channel,
    CommunicationKind,
    ComplainantType,
    DeliveryMethod,
    ForwardPart,
    Nation,
    Outcome,
    ReceivedVia,
    Regime,
    Relationship,
    Role,
    Status,
)


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
    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return f"{self.name} (FRN {self.frn})"

    def activity_from_uk(self, activity: str) -> bool | None:
        """Whether the firm carries on ``activity`` from a UK establishment (None: not carried)."""
        for fa in self.activities.all():
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
    history = HistoricalRecords()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "firm"], name="uniq_membership_user_firm")
        ]

    def __str__(self) -> str:
        return f"{self.user} — {self.get_role_display()} at {self.firm.name}"


class BankHoliday(models.Model):
    """A one-off bank holiday an administrator adds (e.g. a Royal Proclamation) for one nation.

    The calendar is data, not an algorithm: these days are added to the ``holidays`` package's.
    """

    nation = models.CharField(max_length=20, choices=Nation.choices)
    date = models.DateField()
    name = models.CharField(max_length=120)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["date"]
        constraints = [models.UniqueConstraint(fields=["nation", "date"], name="uniq_bank_holiday")]

    def __str__(self) -> str:
        return f"{self.date:%a %-d %b %Y} {self.name} ({self.get_nation_display()})"


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


class Complainant(models.Model):
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
    # FG21/1 drivers of vulnerability.
    vulnerable_health = models.BooleanField("health", default=False)
    vulnerable_life_events = models.BooleanField("life events", default=False)
    vulnerable_resilience = models.BooleanField("resilience", default=False)
    vulnerable_capability = models.BooleanField("capability", default=False)
    vulnerability_note = models.TextField(blank=True)
    anonymised_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]
        indexes = [models.Index(fields=["firm", "name"])]

    def __str__(self) -> str:
        return self.name

    @property
    def is_vulnerable(self) -> bool:
        return (
            self.vulnerable_health
            or self.vulnerable_life_events
            or self.vulnerable_resilience
            or self.vulnerable_capability
        )

    @property
    def vulnerability_drivers(self) -> list[str]:
        return [
            label
            for flag, label in (
                (self.vulnerable_health, "Health"),
                (self.vulnerable_life_events, "Life events"),
                (self.vulnerable_resilience, "Resilience"),
                (self.vulnerable_capability, "Capability"),
            )
            if flag
        ]


VULNERABLE_Q = (
    Q(complainant__vulnerable_health=True)
    | Q(complainant__vulnerable_life_events=True)
    | Q(complainant__vulnerable_resilience=True)
    | Q(complainant__vulnerable_capability=True)
)


class ComplaintQuerySet(models.QuerySet):
    def open(self) -> ComplaintQuerySet:
        return self.filter(status__in=Status.open_states())

    def countable(self) -> ComplaintQuerySet:
        """Meets the Glossary definition of a complaint (feedback and queries never count)."""
        return self.filter(is_complaint=True)

    def vulnerable(self) -> ComplaintQuerySet:
        return self.filter(VULNERABLE_Q)

    def with_next_deadline(self, today: date) -> ComplaintQuerySet:
        """Annotate ``next_deadline`` and ``next_deadline_kind``: the DISP date the handler must
        meet next. While the SRC window is open that is the SRC deadline; after it, the final
        response date (the 35-day date once a PSD holding response is sent). No deadline once a
        DISP response has been sent."""
        src_open = Q(status__in=[Status.RECEIVED, Status.ACKNOWLEDGED, Status.INVESTIGATING]) & Q(
            src_deadline__gte=today
        )
        awaiting = Q(
            status__in=[Status.RECEIVED, Status.ACKNOWLEDGED, Status.INVESTIGATING],
            is_complaint=True,
        )
        psd_holding = Q(status=Status.HOLDING_RESPONSE_SENT, regime=Regime.PSD_EMD)
        return self.annotate(
            next_deadline=Case(
                When(src_open & Q(is_complaint=True), then=F("src_deadline")),
                When(awaiting, then=F("final_response_due")),
                When(psd_holding, then=F("extended_final_response_due")),
                default=None,
                output_field=models.DateField(),
            ),
            next_deadline_kind=Case(
                When(src_open & Q(is_complaint=True), then=models.Value("src")),
                When(awaiting, then=models.Value("final_response")),
                When(psd_holding, then=models.Value("extended_final_response")),
                default=models.Value(""),
                output_field=models.CharField(),
            ),
        )


class Complaint(FSMModelMixin, models.Model):
    firm = models.ForeignKey(Firm, on_delete=models.PROTECT, related_name="complaints")
    reference = models.CharField(max_length=40)
    external_reference = models.CharField(
        max_length=64, blank=True, help_text="The firm's own reference in another system."
    )
    complainant = models.ForeignKey(
        Complainant, on_delete=models.PROTECT, related_name="complaints"
    )
    received_at = models.DateTimeField(help_text="First receipt by the firm or its agent (A1, A2).")
    receipt_date = models.DateField(
        help_text="Day 0 of the DISP clocks: the Europe/London date of receipt (or the next "
        "business day under the firm's legacy after-hours option)."
    )
    channel = models.CharField(max_length=20, choices=Channel.choices)
    received_via = models.CharField(
        max_length=20, choices=ReceivedVia.choices, default=ReceivedVia.DIRECT
    )
    forwarded_from_firm = models.CharField(
        max_length=200, blank=True, help_text="For inbound DISP 1.7 forwards: the other firm."
    )
    relationship = models.CharField(
        max_length=32, choices=Relationship.choices, default=Relationship.CUSTOMER
    )
    activity = models.CharField(max_length=32, choices=Activity.choices)
    description = models.TextField()
    # Glossary 'complaint' limb (2): dissatisfaction alleging loss, distress or inconvenience.
    expression_of_dissatisfaction = models.BooleanField(default=True)
    alleged_financial_loss = models.BooleanField(default=False)
    alleged_material_distress = models.BooleanField(default=False)
    alleged_material_inconvenience = models.BooleanField(default=False)
    is_complaint = models.BooleanField(
        default=True,
        help_text="Meets the Glossary definition; otherwise feedback or a query, never counted.",
    )
    regime = models.CharField(max_length=10, choices=Regime.choices, default=Regime.STANDARD)
    event_date = models.DateField(
        null=True, blank=True, help_text="Date of the event complained of."
    )
    awareness_date = models.DateField(
        null=True,
        blank=True,
        help_text="When the complainant became (or should have become) aware.",
    )
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="owned_complaints",
    )
    status = FSMField(default=Status.RECEIVED, choices=Status.choices, protected=True)
    version = models.PositiveIntegerField(
        default=1, help_text="Bumped by every service write; stale views are refused."
    )
    outcome = models.CharField(max_length=20, choices=Outcome.choices, blank=True)
    outcome_at = models.DateTimeField(null=True, blank=True)

    # DISP deadlines, computed by complaints.disp at intake and recomputed (audited) only when
    # their inputs change. Columns, so queues and sweeps are index scans.
    src_deadline = models.DateField(help_text="DISP 1.5.1R")
    src_deadline_at = models.DateTimeField(help_text="DISP 1.5.1R, close of business")
    final_response_due = models.DateField(help_text="DISP 1.6.2R / 1.6.2AR(1)")
    extended_final_response_due = models.DateField(
        null=True, blank=True, help_text="DISP 1.6.2AR(2)"
    )
    fos_referral_open_from = models.DateField(help_text="DISP 2.8.1R")
    time_bar_date = models.DateField(null=True, blank=True, help_text="DISP 2.8.2R(2)")
    fos_six_month_deadline = models.DateField(null=True, blank=True, help_text="DISP 2.8.2R(1)")
    deadline_rules = models.JSONField(
        default=dict, help_text="For each deadline: the rule and the basis it was computed on."
    )
    calendar_nation = models.CharField(max_length=20, choices=Nation.choices)
    calendar_version = models.CharField(max_length=120)
    deadlines_computed_at = models.DateTimeField()

    # What was sent, and when (the letters themselves are in the letters capability).
    acknowledged_at = models.DateTimeField(null=True, blank=True)
    src_sent_at = models.DateTimeField(null=True, blank=True)
    complainant_accepted_at = models.DateTimeField(
        null=True, blank=True, help_text="DISP 1.5.2AR: acceptance of the response."
    )
    holding_response_sent_at = models.DateTimeField(null=True, blank=True)
    expected_final_response_on = models.DateField(null=True, blank=True)
    final_response_sent_at = models.DateTimeField(null=True, blank=True)
    six_month_wording_included = models.BooleanField(
        default=False, help_text="DISP 2.8.3G: only then does the six-month FOS limit run."
    )
    consents_to_waive_time_limits = models.BooleanField(
        default=False, help_text="DISP 2.8.2R(5); consent cannot be withdrawn (DISP 2.8.2AR)."
    )
    forwarded_at = models.DateTimeField(null=True, blank=True)
    forwarded_to_firm = models.CharField(max_length=200, blank=True)
    forwarded_to_contact = models.TextField(blank=True)
    forward_part = models.CharField(max_length=10, choices=ForwardPart.choices, blank=True)
    forward_reason = models.TextField(blank=True)
    withdrawn_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    legal_hold = models.BooleanField(
        default=False, help_text="Keeps the record beyond the retention period."
    )
    legal_hold_reason = models.CharField(max_length=200, blank=True)

    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    history = HistoricalRecords()
    objects = ComplaintQuerySet.as_manager()

    class Meta:
        ordering = ["-received_at"]
        constraints = [
            models.UniqueConstraint(fields=["firm", "reference"], name="uniq_complaint_reference"),
            models.CheckConstraint(
                condition=~Q(is_complaint=True)
                | Q(alleged_financial_loss=True)
                | Q(alleged_material_distress=True)
                | Q(alleged_material_inconvenience=True),
                name="complaint_alleges_detriment",
            ),
        ]
        indexes = [
            models.Index(fields=["firm", "status", "src_deadline"]),
            models.Index(fields=["firm", "status", "final_response_due"]),
            models.Index(fields=["firm", "received_at"]),
            models.Index(fields=["firm", "outcome_at"]),
            models.Index(fields=["firm", "owner", "status"]),
            models.Index(fields=["fos_six_month_deadline"]),
            models.Index(fields=["firm", "complainant", "received_at"]),
        ]

    def __str__(self) -> str:
        return self.reference

    # --- state machine -------------------------------------------------------------------
    # Transitions change state (and the fields that follow from it) and nothing else. The
    # services in complaints.services check the DISP guards (complaints.guards), lock the row,
    # call these, save and write the audit entry.

    @transition(field=status, source=Status.RECEIVED, target=Status.ACKNOWLEDGED)
    def acknowledge(self, *, sent_at: datetime) -> None:
        """DISP 1.6.1R(1): prompt written acknowledgement."""
        self.acknowledged_at = sent_at

    @transition(field=status, source=Status.ACKNOWLEDGED, target=Status.INVESTIGATING)
    def start_investigation(self) -> None:
        """DISP 1.4.1R(1): investigate competently, diligently and impartially."""

    @transition(
        field=status,
        source=[Status.RECEIVED, Status.ACKNOWLEDGED, Status.INVESTIGATING],
        target=Status.RESOLVED_SUMMARY,
    )
    def resolve_summary(
        self, *, sent_at: datetime, accepted_at: datetime, outcome: str, waiver: bool
    ) -> None:
        """DISP 1.5: resolved by close of business on the 3rd business day; SRC sent
        (DISP 1.5.4R, which always carries the FOS referral right and Annex 3R wording)."""
        self.src_sent_at = sent_at
        self.complainant_accepted_at = accepted_at
        self.outcome = outcome
        self.outcome_at = sent_at
        self.six_month_wording_included = True
        self.consents_to_waive_time_limits = self.consents_to_waive_time_limits or waiver

    @transition(field=status, source=Status.INVESTIGATING, target=Status.HOLDING_RESPONSE_SENT)
    def send_holding_response(self, *, sent_at: datetime, expected_on: date | None) -> None:
        """DISP 1.6.2R(2) / 1.6.2AR(2): why no final response yet, and when to expect it."""
        self.holding_response_sent_at = sent_at
        self.expected_final_response_on = expected_on

    @transition(
        field=status,
        source=[Status.ACKNOWLEDGED, Status.INVESTIGATING, Status.HOLDING_RESPONSE_SENT],
        target=Status.FINAL_RESPONSE_SENT,
    )
    def send_final_response(
        self, *, sent_at: datetime, outcome: str, six_month_wording: bool, waiver: bool
    ) -> None:
        """DISP 1.6.2R(1): accepts, offers redress without accepting, or rejects with reasons."""
        self.final_response_sent_at = sent_at
        self.outcome = outcome
        self.outcome_at = sent_at
        self.six_month_wording_included = six_month_wording
        self.consents_to_waive_time_limits = self.consents_to_waive_time_limits or waiver

    @transition(
        field=status,
        source=[
            Status.RECEIVED,
            Status.ACKNOWLEDGED,
            Status.INVESTIGATING,
            Status.HOLDING_RESPONSE_SENT,
        ],
        target=Status.FINAL_RESPONSE_SENT,
    )
    def reject_time_barred(self, *, sent_at: datetime, six_month_wording: bool) -> None:
        """DISP 1.8: rejected without considering the merits, in a final response using the
        DISP 1 Annex 3R variant for complaints outside the 6-year/3-year limits."""
        self.final_response_sent_at = sent_at
        self.outcome = Outcome.TIME_BARRED
        self.outcome_at = sent_at
        self.six_month_wording_included = six_month_wording

    @transition(
        field=status,
        source=[
            Status.RECEIVED,
            Status.ACKNOWLEDGED,
            Status.INVESTIGATING,
            Status.HOLDING_RESPONSE_SENT,
        ],
        target=Status.FORWARDED,
    )
    def forward(
        self, *, sent_at: datetime, to_firm: str, contact: str, part: str, reason: str
    ) -> None:
        """DISP 1.7: forwarded promptly, in writing, to the firm responsible (never after an
        SRC: DISP 1.5.1R(2) disapplies forwarding for complaints resolved under DISP 1.5)."""
        self.forwarded_at = sent_at
        self.forwarded_to_firm = to_firm
        self.forwarded_to_contact = contact
        self.forward_part = part
        self.forward_reason = reason

    @transition(
        field=status,
        source=[
            Status.RECEIVED,
            Status.ACKNOWLEDGED,
            Status.INVESTIGATING,
            Status.HOLDING_RESPONSE_SENT,
        ],
        target=Status.WITHDRAWN,
    )
    def withdraw(self, *, at: datetime) -> None:
        """The complainant withdrew. Still counted as received (SUP 16.34 Annex 6, metric 1)."""
        self.withdrawn_at = at
        self.outcome = Outcome.WITHDRAWN
        self.outcome_at = at

    @transition(
        field=status,
        source=[
            Status.RESOLVED_SUMMARY,
            Status.FINAL_RESPONSE_SENT,
            Status.FORWARDED,
            Status.WITHDRAWN,
            # Feedback and queries (not complaints under the Glossary) may close from any open
            # state: no DISP response is owed. The guard enforces which.
            Status.RECEIVED,
            Status.ACKNOWLEDGED,
            Status.INVESTIGATING,
        ],
        target=Status.CLOSED,
    )
    def close(self, *, at: datetime) -> None:
        self.closed_at = at

    @transition(
        field=status,
        source=[Status.CLOSED, Status.RESOLVED_SUMMARY, Status.FINAL_RESPONSE_SENT],
        target=Status.INVESTIGATING,
    )
    def reopen(self) -> None:
        """Back to investigation; the earlier response stays in the history."""
        self.closed_at = None


class Communication(models.Model):
    """A DISP communication sent to the complainant (or, for DISP 1.7, to the other firm).

    Immutable once written: corrections are new communications.
    """

    complaint = models.ForeignKey(
        Complaint, on_delete=models.CASCADE, related_name="communications"
    )
    kind = models.CharField(max_length=32, choices=CommunicationKind.choices)
    method = models.CharField(max_length=10, choices=DeliveryMethod.choices)
    sent_at = models.DateTimeField()
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    includes_fos_referral_right = models.BooleanField(default=False)
    includes_six_month_wording = models.BooleanField(default=False)
    waiver_consent = models.BooleanField(default=False)
    summary = models.TextField(blank=True)
    recorded_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["sent_at", "id"]
        indexes = [models.Index(fields=["complaint", "kind"])]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} — {self.complaint.reference}"


class Note(models.Model):
    """An internal note on a complaint; never shown to the complainant."""

    complaint = models.ForeignKey(Complaint, on_delete=models.CASCADE, related_name="notes")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    body = models.TextField()
    created_at = models.DateTimeField()
    history = HistoricalRecords()

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"Note on {self.complaint.reference}"
