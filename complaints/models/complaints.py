"""The complaint and its protected state machine.

Nothing assigns ``status`` directly: ``complaints.services`` is the only write path, and each
service records a history entry whose change reason names the use case
(``complaint.acknowledge``) and whose user is the actor.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Case, F, Q, When
from django_fsm import RETURN_VALUE, FSMField, FSMModelMixin, transition
from simple_history.models import HistoricalRecords

from common.models import actor_field

from ..choices import (
    Activity,
    Channel,
    ForwardPart,
    Nation,
    Outcome,
    ReceivedVia,
    Regime,
    Relationship,
    Status,
    UnknownEventDateWording,
)
from ..disp import clock
from ..disp.fos_access import FosAccess, fos_access
from .complainants import VULNERABLE_Q, Complainant
from .complaint_indexes import COMPLAINT_INDEXES
from .firms import Firm
from .vulnerability import ComplaintVulnerability


class ComplaintQuerySet(models.QuerySet["Complaint"]):
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
        response date (the 35-day date once a PSD holding response is sent, the date the 8-week
        holding response promised, DISP 1.6.2R(2)(a), once that is sent). No deadline once a
        final response or SRC has been sent."""
        src_open = Q(status__in=Status.early_states(), src_deadline__gte=today)
        awaiting = Q(status__in=Status.early_states(), is_complaint=True)
        holding = Q(status=Status.HOLDING_RESPONSE_SENT)
        psd_holding = holding & Q(regime=Regime.PSD_EMD)
        promised = holding & Q(regime=Regime.STANDARD, expected_final_response_on__isnull=False)
        return self.annotate(
            # After the SRC window, the stored response_deadline (Complaint.save keeps it).
            next_deadline=Case(
                When(src_open & Q(is_complaint=True), then=F("src_deadline")),
                default=F("response_deadline"),
                output_field=models.DateField(),
            ),
            next_deadline_kind=Case(
                When(src_open & Q(is_complaint=True), then=models.Value("src")),
                When(awaiting, then=models.Value("final_response")),
                When(psd_holding, then=models.Value("extended_final_response")),
                When(promised, then=models.Value("promised_final_response")),
                default=models.Value(""),
                output_field=models.CharField(),
            ),
        )


LIKELY_DUPLICATE_HELP = (
    "The earlier complaint this one likely duplicates: the same complainant and the same "
    "description, received within a day of it. Still a complaint in its own right; null when "
    "none."
)


class Complaint(FSMModelMixin, ComplaintVulnerability, models.Model):
    # Indexed first in uniq_complaint_reference and the (firm, ...) indexes (issue 18).
    firm = models.ForeignKey(
        Firm, on_delete=models.PROTECT, related_name="complaints", db_index=False
    )
    reference = models.CharField(max_length=40)
    external_reference = models.CharField(
        max_length=64, blank=True, help_text="The firm's own reference in another system."
    )
    complainant = models.ForeignKey(
        Complainant, on_delete=models.PROTECT, related_name="complaints"
    )
    received_at = models.DateTimeField(help_text="First receipt by the firm or its agent (A1, A2).")
    likely_duplicate_of = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text=LIKELY_DUPLICATE_HELP,
        db_index=False,  # complaint_likely_duplicate_idx: only the rows that have one
    )
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
    event_date_unknown = models.BooleanField(
        default=False,
        help_text="The handler has recorded that the date of the act or omission complained of "
        "is not known (CP26/4 para 3.24): letters use the firm's wording for that case.",
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
    # Stored so the work queue is read in index order (issue 18); Complaint.save keeps it.
    response_deadline = models.DateField(
        null=True,
        blank=True,
        editable=False,
        help_text="The DISP response date to meet once any SRC window has closed: the final "
        "response date (DISP 1.6.2R), the extended PSD/EMD date after a holding response "
        "(DISP 1.6.2AR(2)) or the date the holding response promised (DISP 1.6.2R(2)(a)); "
        "empty once answered or when no response is owed.",
    )

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

    created_by = actor_field(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    # No read of the history looks it up by these (issue 18; docs/performance.md, "Stop 30").
    history = HistoricalRecords(
        no_db_index=["complainant", "created_by", "likely_duplicate_of", "owner"]
    )
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
            models.CheckConstraint(
                condition=Q(event_date__isnull=True) | Q(event_date_unknown=False),
                name="complaint_event_date_or_unknown",
            ),
        ]
        indexes = COMPLAINT_INDEXES

    def __str__(self) -> str:
        return self.reference

    def save(self, *args: Any, **kwargs: Any) -> None:
        # Every write path saves the row whole: the stored queue date follows state and dates.
        self.response_deadline = self.current_response_deadline()
        super().save(*args, **kwargs)

    def current_response_deadline(self) -> date | None:
        """What ``response_deadline`` stores: the response date the state owes now."""
        status = self.status  # read once: the state machine's descriptor is not a plain read
        if status in Status.early_states():
            return self.final_response_due if self.is_complaint else None
        if status == Status.HOLDING_RESPONSE_SENT and self.regime == Regime.PSD_EMD:
            return self.extended_final_response_due
        if status == Status.HOLDING_RESPONSE_SENT and self.regime == Regime.STANDARD:
            return self.expected_final_response_on
        return None

    @property
    def arrived_on(self) -> date:
        """The London date the complaint actually arrived; ``receipt_date`` (day 0) is later
        when the firm's legacy after-hours option deferred it."""
        return clock.arrival_date(self.received_at)

    @property
    def received_out_of_time(self) -> bool:
        """DISP 2.8.2R(2): it reached the firm after the 6-year/3-year limit, judged on the
        date it arrived (so the firm may reject it under DISP 1.8)."""
        return clock.received_out_of_time(self.arrived_on, self.time_bar_date)

    # --- FOS access (CP26/4 paras 3.24, 3.27, 3.29; DISP 2.8.1R) ---------------------------

    @property
    def event_date_stated(self) -> bool:
        """The handler has given the event date or recorded that it is unknown."""
        return self.event_date is not None or self.event_date_unknown

    def fos_access(self) -> FosAccess:
        """May the Financial Ombudsman Service consider this complaint at all, and if not, why:
        the one decision the letters and the FOS jurisdiction checklist read."""
        firm = self.firm
        return fos_access(
            crypto_activity=self.activity in Activity.crypto(),
            from_uk=firm.activity_from_uk(self.activity),
            event_date=self.event_date,
            commencement=settings.CRYPTO_COMMENCEMENT_DATE,
            offer_fos_when_event_unknown=(
                firm.unknown_event_date_wording != UnknownEventDateWording.FOS_MAY_NOT
            ),
        )

    @property
    def eight_weeks_elapse_at(self) -> datetime:
        """DISP 2.8.1R(2), read to the minute (disp-rules.md A5): the moment "eight weeks have
        elapsed since the respondent received the complaint"."""
        return self.received_at + timedelta(weeks=8)

    def fos_may_consider(self, at: datetime, *, final_response: bool = False) -> bool:
        """DISP 2.8.1R on ``at``: the Ombudsman may consider the complaint then if it has FOS
        access (``fos_access``) and the firm has sent its final response or SRC (or
        ``final_response``: the letter being sent is one) or its time has run out (eight weeks,
        or for PSD/EMD complaints the business days of DISP 2.8.1R(2A))."""
        if not self.fos_access().available:
            return False
        sent = self.final_response_sent_at or self.src_sent_at
        if final_response or (sent is not None and sent <= at):
            return True
        if self.regime == Regime.STANDARD:
            return at >= self.eight_weeks_elapse_at
        return clock.arrival_date(at) >= self.fos_referral_open_from

    # --- state machine -------------------------------------------------------------------
    # Transitions change state (and the fields that follow from it) and nothing else. The
    # services in complaints.services check the DISP guards (complaints.guards), lock the row,
    # call these, save and write the audit entry.

    @transition(field=status, source=Status.RECEIVED, target=Status.ACKNOWLEDGED)
    def acknowledge(self, *, sent_at: datetime) -> None:
        """DISP 1.6.1R(1): prompt written acknowledgement."""
        self.acknowledged_at = sent_at

    @transition(field=status, source="*", target=None)
    def record_event_date(self, *, event_date: date | None, unknown: bool) -> None:
        """CP26/4 para 3.24: the date of the act or omission complained of, or that it is
        unknown. A record, not a response: the state does not change (target None)."""
        self.event_date = event_date
        self.event_date_unknown = unknown

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
        self._record_response(at=sent_at, outcome=outcome, six_month_wording=True, waiver=waiver)

    @transition(field=status, source=Status.INVESTIGATING, target=Status.HOLDING_RESPONSE_SENT)
    def send_holding_response(self, *, sent_at: datetime, expected_on: date | None) -> None:
        """DISP 1.6.2R(2) / 1.6.2AR(2): why no final response yet, and when to expect it."""
        self.holding_response_sent_at = sent_at
        self.expected_final_response_on = expected_on

    @transition(
        field=status,
        source=[Status.ACKNOWLEDGED, Status.INVESTIGATING, Status.HOLDING_RESPONSE_SENT],
        target=None,
    )
    def send_progress_update(self) -> None:
        """DISP 1.6.1R(2): the complainant is kept informed of progress. A letter, not a
        response: the state does not change (target None) and no deadline moves."""

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
        self._record_response(
            at=sent_at, outcome=outcome, six_month_wording=six_month_wording, waiver=waiver
        )

    @transition(
        field=status,
        source=Status.open_states(),
        target=Status.FINAL_RESPONSE_SENT,
    )
    def reject_time_barred(self, *, sent_at: datetime, six_month_wording: bool) -> None:
        """DISP 1.8: rejected without considering the merits, in a final response using the
        DISP 1 Annex 3R variant for complaints outside the 6-year/3-year limits."""
        self.final_response_sent_at = sent_at
        self._record_response(
            at=sent_at, outcome=Outcome.TIME_BARRED, six_month_wording=six_month_wording
        )

    def _record_response(
        self, *, at: datetime, outcome: str, six_month_wording: bool, waiver: bool = False
    ) -> None:
        """What a DISP response settles: the outcome and when, whether it carried the
        DISP 1 Annex 3R six-month wording, and the firm's consent to waive the time limits
        (once given, it stays)."""
        self.outcome = outcome
        self.outcome_at = at
        self.six_month_wording_included = six_month_wording
        self.consents_to_waive_time_limits = self.consents_to_waive_time_limits or waiver

    @transition(
        field=status,
        source=Status.open_states(),
        target=RETURN_VALUE(*Status.open_states(), Status.FORWARDED),
    )
    def forward(
        self,
        *,
        sent_at: datetime,
        to_firm: str,
        contact: str,
        part: str,
        reason: str,
        six_month_wording: bool,
        waiver: bool,
    ) -> str:
        """DISP 1.7: forwarded promptly, in writing, to the firm responsible (never after an
        SRC: DISP 1.5.1R(2) disapplies forwarding for complaints resolved under DISP 1.5; never
        after the final response, which leaves nothing to forward).

        Only a whole forward ends the firm's handling: its notice is a final response
        (DISP 1.7.1R(2)), so the six-month FOS limit runs from it (DISP 2.8.2R(1)) if it carried
        the wording (DISP 2.8.3G). Forwarding part leaves the complaint in its state with its
        DISP 1.6 clock; the part is recorded on its own (``ForwardedPart``)."""
        if part != ForwardPart.WHOLE:
            return str(self.status)
        self.forwarded_at = sent_at
        self.forwarded_to_firm = to_firm
        self.forwarded_to_contact = contact
        self.forward_part = part
        self.forward_reason = reason
        self.final_response_sent_at = sent_at
        self.six_month_wording_included = six_month_wording
        self.consents_to_waive_time_limits = self.consents_to_waive_time_limits or waiver
        return Status.FORWARDED

    @transition(
        field=status,
        source=Status.open_states(),
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
