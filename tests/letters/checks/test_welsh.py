"""Letters in Welsh: a Welsh variant of every letter sent to a complainant, chosen when the
complainant asked for Welsh and the firm offers it, checked by the same content checks, with
DISP 1 Annex 3R printed in English word for word (no official Welsh text exists)."""

import dataclasses
import re

import pytest

from common.errors import TransitionRefused
from letters import defaults, defaults_cy
from letters.checks.fos import FINAL_FOS, NO_REFERRAL_NOW_UNLESS_OPEN, NO_SIX_MONTH_WITHOUT_FOS
from letters.checks.requirements import CHECKS, checks_for
from letters.checks.welsh import WELSH
from letters.choices import LetterStatus, LetterType
from letters.content import recipient_for
from letters.errors import LetterErrorCode
from letters.models import Letter
from letters.services import letter_template_save
from tests.letters.checks.test_content_checks import _facts
from tests.letters.scenarios import SCENARIOS, SOON, member, prepare, scenario_named, send
from tests.letters.welsh import ask_for_welsh, offer_welsh

pytestmark = pytest.mark.django_db

TO_COMPLAINANT = [t for t in LetterType.values if recipient_for(t) == "complainant"]
WELSH_SCENARIOS = [s for s in SCENARIOS if s.letter_type in TO_COMPLAINANT]


def test_every_letter_type_sent_to_a_complainant_has_a_welsh_system_template():
    assert set(defaults_cy.BODIES) == set(TO_COMPLAINANT) == set(defaults_cy.SUBJECTS)


def test_every_phrase_a_complainant_letter_is_checked_for_has_a_welsh_form():
    """A new check without a Welsh form would pass a Welsh letter only on English wording."""
    checks = [c for t in TO_COMPLAINANT for c in CHECKS[t]]
    checks += [*FINAL_FOS, NO_SIX_MONTH_WITHOUT_FOS, NO_REFERRAL_NOW_UNLESS_OPEN]
    missing = {p for c in checks for p in (*c.phrases, *c.forbidden) if p not in WELSH}
    assert not missing


@pytest.mark.parametrize("scenario", WELSH_SCENARIOS, ids=lambda s: s.id)
def test_welsh_letter_passes_every_content_check(scenario, firm, offshore_firm):
    """The Welsh standard wording satisfies DISP for every letter type and variant, the same
    checks as the English (plus the English Annex 3R text where the six-month wording is due)."""
    the_firm = offshore_firm if scenario.offshore else firm
    offer_welsh(the_firm)
    handler = member(the_firm, "handler")
    complaint = prepare(scenario, the_firm, handler)
    ask_for_welsh(complaint, handler)
    send(scenario, complaint, handler)
    letter = Letter.objects.get(complaint=complaint, letter_type=scenario.letter_type)
    assert letter.status == LetterStatus.SENT
    assert letter.language == "cy"
    assert letter.template_version.template.language == "cy"
    assert "Annwyl Jo Bloggs" in letter.html
    failed = [c for c in letter.check_results if not c["passed"]]
    assert not failed
    facts = dataclasses.replace(_facts(scenario), language="cy")
    assert {c["key"] for c in letter.check_results} == {c.key for c in checks_for(facts)}


def test_disp_1_annex_3r_welsh_letter_carries_the_english_prescribed_wording(firm):
    """DISP 1 Annex 3R: no official Welsh text, so the Welsh final response prints the English
    variant (1) word for word beside the Welsh."""
    offer_welsh(firm)
    scenario = scenario_named("final-rejected")
    handler = member(firm, "handler")
    complaint = prepare(scenario, firm, handler)
    ask_for_welsh(complaint, handler)
    send(scenario, complaint, handler)
    letter = Letter.objects.get(complaint=complaint, letter_type=scenario.letter_type)
    text = " ".join(letter.body_text.split())
    assert " ".join(defaults.ANNEX_3R_NO_CONSENT.split()) in text
    assert " ".join(defaults_cy.ANNEX_3R_NO_CONSENT_CY.split()) in text
    assert letter.includes_six_month_wording and letter.includes_fos_referral_right


def test_disp_1_annex_3r_welsh_letter_without_the_english_wording_is_refused(firm):
    offer_welsh(firm)
    scenario = scenario_named("final-rejected")
    subject, body = defaults.default_template(scenario.letter_type, "cy")
    letter_template_save(
        firm_id=firm.pk,
        letter_type=scenario.letter_type,
        language="cy",
        actor=member(firm, "admin"),
        now=SOON,
        subject=subject,
        body=body.replace(defaults.ANNEX_3R_NO_CONSENT, ""),
    )
    handler = member(firm, "handler")
    complaint = prepare(scenario, firm, handler)
    ask_for_welsh(complaint, handler)
    with pytest.raises(TransitionRefused) as exc:
        send(scenario, complaint, handler)
    assert exc.value.code == LetterErrorCode.CONTENT_INCOMPLETE
    failed = {c["key"] for c in exc.value.extra["failed_checks"]}
    assert failed == {"annex_3r_english"}


def test_welsh_letter_without_the_welsh_referral_right_is_refused(firm):
    """The checks read the Welsh: a Welsh acknowledgement that drops the referral sentence
    fails fos_disclosure (DISP 1.2.3G), as the English does."""
    offer_welsh(firm)
    scenario = scenario_named("ack")
    subject, body = defaults.default_template(scenario.letter_type, "cy")
    broken = re.sub(WELSH[r"received your complaint"], "", body, flags=re.IGNORECASE)
    broken = broken.replace("hawl i gyfeirio eich cwyn at Wasanaeth", "hawl i ysgrifennu at")
    letter_template_save(
        firm_id=firm.pk,
        letter_type=scenario.letter_type,
        language="cy",
        actor=member(firm, "admin"),
        now=SOON,
        subject="Eich cwyn ({{ reference }})",
        body=broken,
    )
    handler = member(firm, "handler")
    complaint = prepare(scenario, firm, handler)
    ask_for_welsh(complaint, handler)
    with pytest.raises(TransitionRefused) as exc:
        send(scenario, complaint, handler)
    failed = {c["key"]: c["rule"] for c in exc.value.extra["failed_checks"]}
    assert failed == {
        "early_reassurance": "DISP 1.6.1R(1)(a)",
        "fos_disclosure": "DISP 1.2.3G; CP26/4 para 3.29",
    }


def test_welsh_letters_only_where_the_firm_offers_them(firm):
    """A complainant's choice of Welsh is kept, but their letters are in English while the firm
    does not offer Welsh."""
    offer_welsh(firm)
    scenario = scenario_named("ack")
    handler = member(firm, "handler")
    complaint = prepare(scenario, firm, handler)
    ask_for_welsh(complaint, handler)
    offer_welsh(firm, on=False)
    send(scenario, complaint, handler)
    letter = Letter.objects.get(complaint=complaint, letter_type=scenario.letter_type)
    assert letter.language == "en" and "Dear Jo Bloggs" in letter.html


def test_the_covering_letter_to_another_firm_stays_in_english(firm):
    offer_welsh(firm)
    scenario = scenario_named("forward")
    handler = member(firm, "handler")
    complaint = prepare(scenario, firm, handler)
    ask_for_welsh(complaint, handler)
    send(scenario, complaint, handler)
    notice = Letter.objects.get(complaint=complaint, letter_type=LetterType.FORWARDING_NOTICE)
    cover = Letter.objects.get(complaint=complaint, letter_type=LetterType.FORWARDING_COVER)
    assert (notice.language, cover.language) == ("cy", "en")


def test_welsh_final_response_statement_is_not_read_in_its_negation():
    pattern = WELSH[
        r"(?:this|that) (?:letter|notice) is our final response|this is our final response"
    ]
    assert not re.search(pattern, "nid y llythyr hwn yw ein hymateb terfynol ar weddill")
    assert re.search(pattern, "y llythyr hwn yw ein hymateb terfynol.")
