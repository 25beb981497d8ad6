"""FOS referrals: the case at the Financial Ombudsman, its stages, deadlines, award and fee.

A referral's ``stage`` is a protected finite-state machine. ``fos.services`` is the only write
path: each service locks the row, checks the guard (``fos.guards``), runs the transition, writes
a ``ReferralStage`` row with the date the stage was reached, and records a history entry whose
change reason is ``fos.<action>`` and whose user is the actor.
"""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from typing import Final, TypedDict

from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django_fsm import FSMField, FSMModelMixin, transition
from simple_history.models import HistoricalRecords

from common.models import actor_field
from complaints.models import Complaint, Firm

from .choices import EndKind, FosOutcome, InterestBasis, ReferredBy, Stage


class _MoneyKwargs(TypedDict):
    max_digits: int
    decimal_places: int


# Every amount in pounds and pence; a TypedDict so ``**MONEY`` type-checks as two keywords.
MONEY: Final[_MoneyKwargs] = {"max_digits": 12, "decimal_places": 2}


class FosFeeSchedule(models.Model):
    """FOS case fees for one FOS financial year (1 April to 31 March), disp-rules.md §4.2.

    Data, not code: the FOS sets fees each year and an administrator edits this table.
    """

    financial_year = models.PositiveSmallIntegerField(
        unique=True,
        help_text="The year the FOS financial year starts: 2025 is 1 Apr 2025–31 Mar 2026.",
    )
    free_cases = models.PositiveSmallIntegerField(
        default=3, help_text="Chargeable cases a firm gets free each financial year."
    )
    standard_fee = models.DecimalField(**MONEY, validators=[MinValueValidator(0)])
    prof_rep_not_upheld_fee = models.DecimalField(
        **MONEY,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
        help_text="Reduced fee for a professional representative's case that is not upheld "
        "(from 1 April 2025). Blank: no reduction that year.",
    )
    confirmed = models.BooleanField(
        default=False, help_text="Untick while the figure is only proposed or unverified."
    )
    note = models.TextField(blank=True, help_text="Source, or why the figure is not confirmed.")
    history = HistoricalRecords()

    class Meta:
        ordering = ["financial_year"]
        verbose_name = "FOS fee schedule"

    def __str__(self) -> str:
        return f"FOS fees {self.label}"

    @property
    def label(self) -> str:
        return f"{self.financial_year}/{(self.financial_year + 1) % 100:02d}"


class FosAwardLimit(models.Model):
    """DISP 3.7.4R money award limits, keyed by the date the complaint was referred to the FOS
    (disp-rules.md §4.3). A row applies to referrals from ``effective_from`` until the next row.
    """

    effective_from = models.DateField(unique=True)
    limit_post_2019_acts = models.DecimalField(
        **MONEY, help_text="For acts or omissions on or after 1 April 2019."
    )
    limit_pre_2019_acts = models.DecimalField(
        **MONEY, null=True, blank=True, help_text="For acts or omissions before 1 April 2019."
    )
    verified = models.BooleanField(
        default=False, help_text="Checked against an FCA or FOS source (disp-rules.md §4.3)."
    )
    note = models.TextField(blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["effective_from"]
        verbose_name = "FOS award limit"

    def __str__(self) -> str:
        return f"From {self.effective_from:%-d %b %Y}: £{self.limit_post_2019_acts:,.0f}"


class ReferralQuerySet(models.QuerySet["Referral"]):
    def for_firms(self, firm_ids: list[int]) -> ReferralQuerySet:
        return self.filter(firm_id__in=firm_ids)

    def active(self) -> ReferralQuerySet:
        return self.filter(stage__in=Stage.active())


class Referral(FSMModelMixin, models.Model):
    """One complaint's case at the FOS."""

    firm = models.ForeignKey(Firm, on_delete=models.PROTECT, related_name="fos_referrals")
    complaint = models.ForeignKey(Complaint, on_delete=models.PROTECT, related_name="fos_referrals")
    fos_reference = models.CharField(
        "FOS case reference", max_length=40, blank=True, help_text="e.g. PNX-1234567"
    )
    referred_on = models.DateField(help_text="The date the complainant referred it to the FOS.")
    referred_by = models.CharField(
        max_length=32, choices=ReferredBy.choices, default=ReferredBy.COMPLAINANT
    )
    representative_name = models.CharField(
        max_length=200, blank=True, help_text="The professional representative's name."
    )
    representative = models.ForeignKey(
        "complaints.Representative",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="fos_referrals",
        help_text="Who brought the case for the complainant; ``referred_by`` follows its kind.",
    )
    stage = FSMField(default=Stage.REFERRED, choices=Stage.choices, protected=True)
    stage_entered_on = models.DateField()
    version = models.PositiveIntegerField(default=1)

    # Jurisdiction checklist (fos.jurisdiction), computed at logging and recomputable.
    checklist = models.JSONField(default=list)
    jurisdiction_result = models.CharField(max_length=10, default="unknown")
    checklist_computed_at = models.DateTimeField(null=True, blank=True)

    # Stage dates (the full sequence is in ReferralStage; these are the ones reports use).
    referred_back_on = models.DateField(null=True, blank=True)
    investigation_on = models.DateField(null=True, blank=True)
    view_date = models.DateField(null=True, blank=True)
    view_response_due = models.DateField(null=True, blank=True)
    provisional_decision_date = models.DateField(null=True, blank=True)
    final_decision_date = models.DateField(null=True, blank=True)
    accepted_on = models.DateField(null=True, blank=True)
    ended_on = models.DateField(null=True, blank=True)
    end_kind = models.CharField(max_length=20, choices=EndKind.choices, blank=True)
    closed_on = models.DateField(
        null=True, blank=True, help_text="When the FOS's involvement ended (accepted or ended)."
    )
    complied_on = models.DateField(null=True, blank=True)
    compliance_due_on = models.DateField(
        null=True,
        blank=True,
        help_text="Accepted on + FOS_AWARD_COMPLIANCE_TARGET_DAYS (the firm's target).",
    )

    # Outcomes.
    firm_outcome = models.CharField(
        max_length=20, blank=True, help_text="The firm's own outcome when the case was referred."
    )
    view_outcome = models.CharField(max_length=20, choices=FosOutcome.choices, blank=True)
    provisional_outcome = models.CharField(max_length=20, choices=FosOutcome.choices, blank=True)
    decision_outcome = models.CharField(max_length=20, choices=FosOutcome.choices, blank=True)
    fos_outcome = models.CharField(
        max_length=20,
        choices=FosOutcome.choices,
        blank=True,
        help_text="The FOS's latest outcome: the final decision, else the investigator's view.",
    )
    overturned = models.BooleanField(
        null=True, help_text="The FOS found more in the complainant's favour than the firm did."
    )

    # Award (DISP 3.7; FSMA s.229).
    award_amount = models.DecimalField(**MONEY, null=True, blank=True)
    award_limit = models.DecimalField(**MONEY, null=True, blank=True)
    award_limit_verified = models.BooleanField(null=True)
    award_limit_effective_from = models.DateField(null=True, blank=True)
    award_recommended_excess = models.DecimalField(
        **MONEY,
        null=True,
        blank=True,
        help_text="FSMA s.229(5): the part above the limit is only a recommendation.",
    )
    interest_basis = models.CharField(max_length=24, choices=InterestBasis.choices, blank=True)
    interest_from = models.DateField(null=True, blank=True)
    interest_note = models.CharField(max_length=300, blank=True)
    directions = models.TextField(blank=True)
    acceptance_deadline = models.DateField(
        null=True, blank=True, help_text="FSMA s.228(4)(c): the complainant must accept by then."
    )
    amount_paid = models.DecimalField(**MONEY, null=True, blank=True)
    shortfall_reason = models.TextField(
        blank=True, help_text="Why less than the award was paid when the firm complied."
    )

    # Case fee: chargeable from the date the FOS converts it into a chargeable case (disp-rules
    # §4.2 marks the event [M]); defaults to the date it reached investigation.
    chargeable_on = models.DateField(null=True, blank=True)
    chargeable_note = models.CharField(max_length=300, blank=True)

    time_limit_consent_on = models.DateField(
        null=True, blank=True, help_text="DISP 2.8.2R(5) consent recorded here (irrevocable)."
    )
    notes = models.TextField(blank=True)
    created_by = actor_field(blank=True)
    created_at = models.DateTimeField()
    updated_at = models.DateTimeField(auto_now=True)
    history = HistoricalRecords()
    objects = ReferralQuerySet.as_manager()

    class Meta:
        ordering = ["-referred_on", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["firm", "fos_reference"],
                condition=~Q(fos_reference=""),
                name="uniq_fos_reference_per_firm",
            ),
            models.CheckConstraint(
                condition=~Q(referred_by=ReferredBy.PROFESSIONAL_REPRESENTATIVE)
                | ~Q(representative_name=""),
                name="fos_prof_rep_named",
            ),
        ]
        indexes = [
            models.Index(fields=["firm", "stage"]),
            models.Index(fields=["firm", "chargeable_on"]),
            models.Index(fields=["firm", "referred_on"]),
            models.Index(fields=["compliance_due_on"]),
        ]

    def __str__(self) -> str:
        return self.fos_reference or f"FOS referral {self.pk}"

    # --- derived --------------------------------------------------------------------------

    @property
    def label(self) -> str:
        return self.fos_reference or "(FOS reference not yet known)"

    @property
    def is_prof_rep(self) -> bool:
        return self.referred_by == ReferredBy.PROFESSIONAL_REPRESENTATIVE

    @property
    def requires_compliance(self) -> bool:
        """Something to do once accepted: an upheld outcome, an award or directions."""
        return (
            self.fos_outcome in FosOutcome.in_complainants_favour()
            or bool(self.award_amount)
            or bool(self.directions.strip())
        )

    def compliance_overdue(self, today: date) -> bool:
        return (
            self.stage == Stage.ACCEPTED
            and self.compliance_due_on is not None
            and today > self.compliance_due_on
        )

    def checklist_failures(self) -> list[dict]:
        return [line for line in self.checklist if line.get("result") == "fail"]

    # --- state machine --------------------------------------------------------------------
    # Transitions set the stage and the fields that follow from it; fos.services checks the
    # guards, locks, saves and writes the stage history.

    @transition(field=stage, source=Stage.REFERRED, target=Stage.PRE_REGISTRATION)
    def pre_register(self, *, on: date) -> None:
        """CP26/9: optional case-readiness stage before investigation."""

    @transition(
        field=stage,
        source=[Stage.REFERRED, Stage.PRE_REGISTRATION, Stage.JURISDICTION_REVIEW],
        target=Stage.REFERRED_BACK_TO_FIRM,
    )
    def refer_back(self, *, on: date) -> None:
        """DISP 3.2.2R: the firm has not had its eight weeks and sent no final response/SRC."""
        self.referred_back_on = on

    @transition(field=stage, source=Stage.REFERRED_BACK_TO_FIRM, target=Stage.REFERRED)
    def resume(self, *, on: date) -> None:
        """The complainant brings the case back after the firm had its time."""

    @transition(
        field=stage,
        source=[Stage.REFERRED, Stage.PRE_REGISTRATION],
        target=Stage.JURISDICTION_REVIEW,
    )
    def start_jurisdiction_review(self, *, on: date) -> None:
        """The FOS checks it can consider the complaint (DISP 2); objections go in now."""

    @transition(
        field=stage,
        source=[Stage.REFERRED, Stage.PRE_REGISTRATION, Stage.JURISDICTION_REVIEW],
        target=Stage.INVESTIGATION,
    )
    def start_investigation(self, *, on: date) -> None:
        self.investigation_on = on
        if self.chargeable_on is None:
            self.chargeable_on = on
            self.chargeable_note = "Defaulted to the date the case reached investigation."

    @transition(field=stage, source=Stage.INVESTIGATION, target=Stage.INVESTIGATOR_VIEW_ISSUED)
    def issue_view(self, *, on: date, outcome: str, response_due: date | None) -> None:
        self.view_date = on
        self.view_outcome = outcome
        self.view_response_due = response_due
        self._set_fos_outcome(outcome)

    @transition(field=stage, source=Stage.INVESTIGATOR_VIEW_ISSUED, target=Stage.ACCEPTED)
    def accept_view(self, *, on: date, compliance_target_days: int) -> None:
        """Both parties accept the investigator's view: the case ends there."""
        self._accept(on, compliance_target_days)

    @transition(field=stage, source=Stage.INVESTIGATOR_VIEW_ISSUED, target=Stage.OMBUDSMAN_REVIEW)
    def dispute_view(self, *, on: date) -> None:
        """A party disagrees and asks for an ombudsman's decision."""

    @transition(field=stage, source=Stage.OMBUDSMAN_REVIEW, target=Stage.PROVISIONAL_DECISION)
    def issue_provisional_decision(self, *, on: date, outcome: str) -> None:
        """The ombudsman departs from the view and invites comments before deciding."""
        self.provisional_decision_date = on
        self.provisional_outcome = outcome

    @transition(
        field=stage,
        source=[Stage.OMBUDSMAN_REVIEW, Stage.PROVISIONAL_DECISION],
        target=Stage.FINAL_DECISION,
    )
    def issue_final_decision(self, *, on: date, outcome: str, acceptance_deadline: date) -> None:
        """FSMA s.228: a written determination with a date by which the complainant must
        accept or reject it."""
        self.final_decision_date = on
        self.decision_outcome = outcome
        self.acceptance_deadline = acceptance_deadline
        self._set_fos_outcome(outcome)

    @transition(field=stage, source=Stage.FINAL_DECISION, target=Stage.ACCEPTED)
    def accept_decision(self, *, on: date, compliance_target_days: int) -> None:
        """FSMA s.228(5): once accepted, binding on the firm and the complainant."""
        self._accept(on, compliance_target_days)

    @transition(field=stage, source=Stage.active(), target=Stage.REJECTED_OR_LAPSED)
    def end(self, *, on: date, kind: str) -> None:
        self.ended_on = on
        self.end_kind = kind
        self.closed_on = on

    @transition(field=stage, source=Stage.ACCEPTED, target=Stage.COMPLIED)
    def record_compliance(self, *, on: date, amount_paid, shortfall_reason: str) -> None:
        self.complied_on = on
        self.amount_paid = amount_paid
        self.shortfall_reason = shortfall_reason

    def award_shortfall(self, amount_paid: Decimal | None) -> Decimal:
        """How much of the award ``amount_paid`` leaves unpaid (nothing paid counts as none)."""
        if not self.award_amount:
            return Decimal(0)
        return max(self.award_amount - (amount_paid or Decimal(0)), Decimal(0))

    def _accept(self, on: date, compliance_target_days: int) -> None:
        self.accepted_on = on
        self.closed_on = on
        if self.requires_compliance:
            self.compliance_due_on = on + timedelta(days=compliance_target_days)

    def _set_fos_outcome(self, outcome: str) -> None:
        self.fos_outcome = outcome
        self.overturned = overturns(self.firm_outcome, outcome)


# The firm's outcomes ranked by how far they went for the complainant. Goodwill without a
# decision and a time-barred rejection did not accept the complaint. Withdrawn or no outcome
# (referred after eight weeks): nothing to overturn.
_FIRM_RANK = {
    "upheld": 2,
    "partially_upheld": 1,
    "not_upheld": 0,
    "goodwill": 0,
    "time_barred": 0,
}
_FOS_RANK = {FosOutcome.UPHELD: 2, FosOutcome.PARTLY_UPHELD: 1, FosOutcome.NOT_UPHELD: 0}


def overturns(firm_outcome: str, fos_outcome: str) -> bool | None:
    """Whether the FOS's outcome goes further for the complainant than the firm's own.

    None when the firm reached no outcome (e.g. referred after eight weeks without a response).
    """
    if firm_outcome not in _FIRM_RANK or fos_outcome not in _FOS_RANK:
        return None
    return _FOS_RANK[FosOutcome(fos_outcome)] > _FIRM_RANK[firm_outcome]


class ReferralStage(models.Model):
    """Append-only: one row each time the referral enters a stage, with the date it happened."""

    referral = models.ForeignKey(Referral, on_delete=models.CASCADE, related_name="stages")
    stage = models.CharField(max_length=32, choices=Stage.choices)
    action = models.CharField(max_length=40)
    entered_on = models.DateField()
    recorded_at = models.DateTimeField()
    recorded_by = actor_field(blank=True)
    note = models.TextField(blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["entered_on", "id"]
        indexes = [models.Index(fields=["referral", "entered_on"])]

    def __str__(self) -> str:
        return f"{self.get_stage_display()} on {self.entered_on}"


class FosDeadline(models.Model):
    """A deadline the FOS set the firm in its correspondence (e.g. send the case file)."""

    referral = models.ForeignKey(Referral, on_delete=models.CASCADE, related_name="deadlines")
    firm = models.ForeignKey(Firm, on_delete=models.PROTECT, related_name="+")
    description = models.CharField(max_length=200)
    due_on = models.DateField()
    source = models.CharField(
        max_length=200, blank=True, help_text="The FOS letter or email that set it."
    )
    done_at = models.DateTimeField(null=True, blank=True)
    done_by = actor_field(blank=True)
    closed_note = models.CharField(
        max_length=200,
        blank=True,
        help_text="Set when it was closed without being met: the referral closed.",
    )
    created_at = models.DateTimeField()
    created_by = actor_field(blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["due_on", "id"]
        indexes = [models.Index(fields=["firm", "done_at", "due_on"])]

    def __str__(self) -> str:
        return f"{self.description} by {self.due_on}"

    @property
    def is_done(self) -> bool:
        return self.done_at is not None
