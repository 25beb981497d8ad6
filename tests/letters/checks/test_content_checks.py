"""Mandatory content: every letter type, in every scenario, declares the elements DISP requires.

The standard wording passes every check; removing any one required element from the firm's
template makes the send fail, naming that check and its rule, and changes nothing.
"""

import re

import pytest

from common.errors import TransitionRefused
from complaints.models import Communication, Complaint
from letters import content, defaults
from letters.checks.requirements import checks_for
from letters.checks.spec import Check, Facts
from letters.checks.text import FOS_REFERRAL, has, has_six_month_wording, html_to_text, normalise
from letters.choices import LetterStatus, LetterType
from letters.errors import LetterErrorCode
from letters.models import Letter
from letters.rendering import LetterInputs
from letters.services import letter_template_save
from tests.letters.scenarios import (
    REASONS,
    REDRESS,
    SCENARIOS,
    SOON,
    member,
    prepare,
    refused_with_template,
    scenario_named,
    send,
)

pytestmark = pytest.mark.django_db


# Sent when the Ombudsman may consider the complaint (DISP 2.8.1R): a final response or SRC
# itself, or the 8-week holding response (sent after eight weeks); the others are sent earlier.
_OPEN_ON_SEND = {
    *LetterType.final_types(),
    LetterType.SUMMARY_RESOLUTION,
    LetterType.TIME_BARRED,
    LetterType.FORWARDING_NOTICE,
    LetterType.HOLDING,
}


def _facts(scenario):
    return Facts(
        letter_type=scenario.letter_type,
        fos_available=not scenario.offshore,
        fos_open_on_send=scenario.letter_type in _OPEN_ON_SEND,
        consents_to_waive=scenario.consents,
        is_psd=scenario.regime == "psd_emd",
        outcome=scenario.outcome,
        has_redress=scenario.letter_type in (LetterType.FINAL_UPHELD, LetterType.FINAL_REDRESS),
        has_reasons=scenario.letter_type in LetterType.final_types(),
        partial_forward=scenario.part == "part",
    )


# Each required element (a check that only forbids wording has nothing to remove: the progress
# update's refusal of referral wording is tested in tests/complaints/test_progress_update.py).
CASES = [
    pytest.param(s, c, id=f"{s.id}:{c.key}:{i}")
    for s in SCENARIOS
    for i, c in enumerate(checks_for(_facts(s)))
    if c.phrases or c.values
]


def remove_element(source: str, check: Check) -> str:
    """Delete every phrase, prescribed passage and merge field by which ``check`` recognises
    its element."""
    for passage in check.verbatim:
        source = source.replace(passage, "")
    for pattern in check.phrases:
        source = re.sub(pattern, "", source, flags=re.IGNORECASE)
    for value in check.values:
        source = re.sub(r"\{\{\s*" + value + r"\s*(\|[^}]*)?\}\}", "", source)
    return source


def _firm_for(scenario, firm, offshore_firm):
    return offshore_firm if scenario.offshore else firm


@pytest.mark.parametrize("scenario", SCENARIOS, ids=lambda s: s.id)
def test_standard_wording_passes_every_check(scenario, firm, offshore_firm):
    """The system default templates satisfy DISP for every letter type and variant."""
    the_firm = _firm_for(scenario, firm, offshore_firm)
    handler = member(the_firm, "handler")
    complaint = prepare(scenario, the_firm, handler)
    send(scenario, complaint, handler)
    letter = Letter.objects.get(complaint=complaint, letter_type=scenario.letter_type)
    assert letter.status == LetterStatus.SENT
    assert letter.check_results and all(c["passed"] for c in letter.check_results)
    assert {c["key"] for c in letter.check_results} == {c.key for c in checks_for(_facts(scenario))}


@pytest.mark.parametrize("scenario,check", CASES)
def test_removing_a_required_element_fails_the_send_naming_check_and_rule(
    scenario, check, firm, offshore_firm
):
    the_firm = _firm_for(scenario, firm, offshore_firm)
    handler = member(the_firm, "handler")
    admin = member(the_firm, "admin")
    subject, body = defaults.default_template(scenario.letter_type)
    broken = remove_element(body, check)
    assert broken != body, f"{check.key} is not recognisable in the standard wording"
    letter_template_save(
        firm_id=the_firm.pk,
        letter_type=scenario.letter_type,
        actor=admin,
        now=SOON,
        subject=remove_element(subject, check) or "Your complaint",
        body=broken,
        note=f"without {check.key}",
    )
    complaint = prepare(scenario, the_firm, handler)
    before = Complaint.objects.get(pk=complaint.pk)
    communications = Communication.objects.filter(complaint=complaint).count()
    letters = Letter.objects.filter(complaint=complaint).count()

    with pytest.raises(TransitionRefused) as exc:
        send(scenario, complaint, handler)

    assert exc.value.code == LetterErrorCode.CONTENT_INCOMPLETE
    failed = {c["key"]: c for c in exc.value.extra["failed_checks"]}
    assert check.key in failed
    assert failed[check.key]["rule"] == check.rule
    assert check.rule in exc.value.rule
    assert check.label in exc.value.message
    after = Complaint.objects.get(pk=complaint.pk)
    assert (after.status, after.version) == (before.status, before.version)
    assert Communication.objects.filter(complaint=complaint).count() == communications
    assert Letter.objects.filter(complaint=complaint).count() == letters


def test_disp_1_6_1r_1_b_psd_acknowledgement_states_15_and_35_business_days(firm, handler):
    scenario = next(s for s in SCENARIOS if s.id == "ack-psd")
    complaint = prepare(scenario, firm, handler)
    send(scenario, complaint, handler)
    letter = Letter.objects.get(complaint=complaint)
    text = normalise(html_to_text(letter.html))
    assert "within 15 business days" in text and "within 35 business days" in text
    assert "eight weeks" not in text


def test_cp26_4_3_29_offshore_letters_say_the_fos_is_not_available(offshore_firm):
    """No UK establishment: the final response says clearly that the FOS is not available and
    carries no referral or six-month wording; the six-month window never starts."""
    handler = member(offshore_firm, "handler")
    scenario = next(s for s in SCENARIOS if s.id == "final-rejected-offshore")
    complaint = prepare(scenario, offshore_firm, handler)
    c = send(scenario, complaint, handler)
    letter = Letter.objects.get(complaint=complaint, letter_type=LetterType.FINAL_REJECTED)
    text = normalise(html_to_text(letter.html))
    assert "the financial ombudsman service is not able to consider" in text
    assert not has(FOS_REFERRAL, text)
    assert not has_six_month_wording(text)
    assert letter.fos_available is False
    assert c.fos_six_month_deadline is None
    assert c.communications.get(kind="final_response").includes_fos_referral_right is False


def test_cp26_4_3_29_fos_referral_wording_in_an_offshore_letter_is_refused(offshore_firm):
    """A template that promises FOS access for an offshore activity would mislead: refused, for
    the referral right and for the six-month window it states (DISP 2.8.2R(1))."""
    _, body = defaults.default_template(LetterType.FINAL_REJECTED)
    refusal = refused_with_template(
        scenario_named("final-rejected-offshore"),
        offshore_firm,
        body + "\n\n" + defaults.ANNEX_3R_NO_CONSENT,
    )
    assert {c["key"] for c in refusal.extra["failed_checks"]} == {
        "fos_not_available",
        "no_six_month_wording",
    }


def test_disp_1_annex_3r_consent_letter_must_not_also_carry_the_no_consent_wording(firm):
    _, body = defaults.default_template(LetterType.FINAL_REJECTED)
    refusal = refused_with_template(
        scenario_named("final-rejected-consent"), firm, body + "\n\n" + defaults.ANNEX_3R_NO_CONSENT
    )
    assert {c["key"] for c in refusal.extra["failed_checks"]} == {"waiver_statement"}


def test_checks_read_the_rendered_text_not_the_template(firm, handler):
    """Phrases survive different quotes, dashes, case and line breaks."""
    complaint = prepare(SCENARIOS[0], firm, handler)
    letter = content.build_letter(
        complaint,
        LetterType.FINAL_REJECTED,
        LetterInputs(outcome="not_upheld", reasons=REASONS),
        actor=handler,
        now=SOON,
    )
    letter.body_text = letter.body_text.replace(
        "Financial Ombudsman Service", "FINANCIAL\nOMBUDSMAN  SERVICE"
    )
    letter.body_text = letter.body_text.replace("six months", "SIX  months")
    content.evaluate(letter, letter_date=SOON)
    assert not letter.failed_checks
    assert letter.includes_six_month_wording is True
    assert REDRESS not in letter.body_text
