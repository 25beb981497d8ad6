"""One complaint per letter scenario, ready for the transition that sends the letter, and the
call that sends it through the lifecycle service (the letter is generated from the template)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

import pytest

from common.errors import TransitionRefused
from complaints import services
from complaints.choices import Activity, ForwardPart, Outcome, Regime
from letters import defaults
from letters.choices import LetterType
from letters.services import letter_template_save
from tests.factories import MembershipFactory, london, make_complaint

RECEIVED = london(2026, 4, 13, 10)  # Mon 13 Apr 2026 (E16 / E23)
SOON = london(2026, 4, 14, 11)  # inside the SRC window and the PSD 15-day window
LATER = london(2026, 6, 9, 11)  # after 8 weeks: holding / final responses


@dataclass(frozen=True)
class Scenario:
    name: str
    letter_type: str
    regime: str = Regime.STANDARD
    offshore: bool = False
    consents: bool = False
    outcome: str = ""
    part: str = ForwardPart.WHOLE
    kwargs: dict = field(default_factory=dict)

    @property
    def id(self) -> str:
        return self.name


SCENARIOS = [
    Scenario("ack", LetterType.ACKNOWLEDGEMENT),
    Scenario("ack-psd", LetterType.ACKNOWLEDGEMENT, regime=Regime.PSD_EMD),
    Scenario("ack-offshore", LetterType.ACKNOWLEDGEMENT, offshore=True),
    Scenario("src", LetterType.SUMMARY_RESOLUTION, outcome=Outcome.UPHELD),
    Scenario("src-consent", LetterType.SUMMARY_RESOLUTION, outcome=Outcome.UPHELD, consents=True),
    Scenario("src-offshore", LetterType.SUMMARY_RESOLUTION, outcome=Outcome.UPHELD, offshore=True),
    Scenario("holding", LetterType.HOLDING),
    Scenario("holding-offshore", LetterType.HOLDING, offshore=True),
    Scenario("holding-psd", LetterType.HOLDING_PSD, regime=Regime.PSD_EMD),
    Scenario("progress", LetterType.PROGRESS_UPDATE),
    Scenario("progress-offshore", LetterType.PROGRESS_UPDATE, offshore=True),
    Scenario("final-upheld", LetterType.FINAL_UPHELD, outcome=Outcome.UPHELD),
    Scenario("final-partly", LetterType.FINAL_UPHELD, outcome=Outcome.PARTIALLY_UPHELD),
    Scenario("final-redress", LetterType.FINAL_REDRESS, outcome=Outcome.GOODWILL),
    Scenario("final-rejected", LetterType.FINAL_REJECTED, outcome=Outcome.NOT_UPHELD),
    Scenario(
        "final-rejected-consent",
        LetterType.FINAL_REJECTED,
        outcome=Outcome.NOT_UPHELD,
        consents=True,
    ),
    Scenario(
        "final-rejected-offshore",
        LetterType.FINAL_REJECTED,
        outcome=Outcome.NOT_UPHELD,
        offshore=True,
    ),
    Scenario("time-barred", LetterType.TIME_BARRED),
    Scenario("time-barred-offshore", LetterType.TIME_BARRED, offshore=True),
    Scenario("forward", LetterType.FORWARDING_NOTICE),
    Scenario("forward-part", LetterType.FORWARDING_NOTICE, part=ForwardPart.PART),
    Scenario("forward-cover", LetterType.FORWARDING_COVER),
    Scenario("forward-cover-part", LetterType.FORWARDING_COVER, part=ForwardPart.PART),
]

REASONS = "Our records show the withdrawal was held for a routine security review."
REDRESS = "We will pay you £150 for the distress and inconvenience caused."


def prepare(scenario: Scenario, firm, actor, **complaint):
    """A complaint in the state from which ``scenario``'s letter is sent (``complaint``: more
    of what it is logged with, e.g. its event date)."""
    extra: dict = {}
    if scenario.letter_type == LetterType.TIME_BARRED:
        extra = {"event_date": date(2019, 3, 1), "awareness_date": date(2019, 3, 1)}
        if not scenario.offshore:
            # Before 2033 an act six years old predates the cryptoasset regime (CP26/4 para
            # 3.24: no FOS, tests/letters/checks/test_pre_commencement.py); the Annex 3R
            # variant (2) letter is for the firm's other business, which the FOS may consider.
            extra["activity"] = Activity.OTHER
    extra.update(complaint)
    c = make_complaint(
        firm=firm, received_at=RECEIVED, actor=actor, regime=scenario.regime, **extra
    )
    if scenario.letter_type in (
        LetterType.HOLDING,
        LetterType.HOLDING_PSD,
        LetterType.PROGRESS_UPDATE,
        *LetterType.final_types(),
    ):
        services.complaint_acknowledge(complaint_id=c.pk, actor=actor, now=SOON)
        services.complaint_start_investigation(complaint_id=c.pk, actor=actor, now=SOON)
    return c


def send(scenario: Scenario, complaint, actor):
    """Send the scenario's letter through the lifecycle service (no draft: auto-generated)."""
    kw = {"complaint_id": complaint.pk, "actor": actor}
    t = scenario.letter_type
    if t == LetterType.ACKNOWLEDGEMENT:
        return services.complaint_acknowledge(now=SOON, **kw)
    if t == LetterType.SUMMARY_RESOLUTION:
        return services.complaint_resolve_summary(
            now=SOON,
            outcome=scenario.outcome,
            consents_to_waive=scenario.consents,
            summary="We released your withdrawal.",
            **kw,
        )
    if t == LetterType.HOLDING:
        return services.complaint_send_holding_response(
            now=LATER, reasons=REASONS, expected_final_response_on=date(2026, 7, 10), **kw
        )
    if t == LetterType.HOLDING_PSD:
        return services.complaint_send_holding_response(now=SOON, reasons=REASONS, **kw)
    if t == LetterType.PROGRESS_UPDATE:
        return services.complaint_send_progress_update(now=SOON, progress=REASONS, **kw)
    if t in LetterType.final_types():
        return services.complaint_send_final_response(
            now=LATER,
            outcome=scenario.outcome,
            consents_to_waive=scenario.consents,
            summary=REASONS,
            redress_summary=REDRESS if t != LetterType.FINAL_REJECTED else "",
            **kw,
        )
    if t == LetterType.TIME_BARRED:
        return services.complaint_reject_time_barred(now=SOON, **kw)
    return services.complaint_forward(
        now=SOON,
        to_firm="Meridian Crypto Brokers Ltd",
        to_contact="complaints@meridian.example\n2 Dock Street, Leith EH6 6AA",
        reason="The disputed trade was executed by Meridian as the introducing broker.",
        part=scenario.part,
        **kw,
    )


def scenario_named(name: str) -> Scenario:
    return next(s for s in SCENARIOS if s.id == name)


def member(firm, role: str):
    return MembershipFactory(firm=firm, role=role).user


def refused_with_template(scenario: Scenario, firm, body: str) -> TransitionRefused:
    """The firm's administrator saves ``body`` as its template for ``scenario``'s letter; sending
    that letter is refused. Returns the refusal."""
    subject, _ = defaults.default_template(scenario.letter_type)
    letter_template_save(
        firm_id=firm.pk,
        letter_type=scenario.letter_type,
        actor=member(firm, "admin"),
        now=SOON,
        subject=subject,
        body=body,
    )
    handler = member(firm, "handler")
    complaint = prepare(scenario, firm, handler)
    with pytest.raises(TransitionRefused) as exc:
        send(scenario, complaint, handler)
    return exc.value
