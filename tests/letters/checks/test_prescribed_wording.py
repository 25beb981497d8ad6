"""Wording DISP prescribes or requires element by element (issue #14): the time-barred rejection
prints DISP 1 Annex 3R variant (2) word for word; the forwarding notice is a final response
(DISP 1.7.1R(2)); the acknowledgement keeps the DISP 1.6.1R(1)(b) timetable statement. A firm
template without them is refused at sending, naming the element and its rule; the standard
wording passes and reaches firms as a new system version."""

import pytest

from letters import content, defaults
from letters.checks.text import html_to_text, normalise
from letters.choices import LetterType
from letters.errors import LetterErrorCode
from letters.models import Letter, LetterTemplate, LetterTemplateVersion
from letters.services import letter_template_save
from tests.letters.scenarios import (
    SOON,
    member,
    prepare,
    refused_with_template,
    scenario_named,
    send,
)

pytestmark = pytest.mark.django_db

# The oracle: DISP 1 Annex 3R (2) sentence by sentence as the stored Handbook page prints it
# (handbook.fca.org.uk/handbook/DISP/1/Annex3.html?date=2016-07-17&timeline=True), typed apart
# from the template so that a change to either shows here.
HANDBOOK_ANNEX_3R_2 = [
    "You have the right to refer your complaint to the Financial Ombudsman Service, free of "
    "charge.",
    "The Ombudsman might not be able to consider your complaint if:",
    "what you\u2019re complaining about happened more than six years ago, and",
    "you\u2019re complaining more than three years after you realised (or should have realised) "
    "that there was a problem.",
    "We think that your complaint was made outside of these time limits but this is a matter "
    "for the Ombudsman to decide.",
    "If the Ombudsman agrees with us, they will not have our permission to consider your "
    "complaint and so will only be able to do so in very limited circumstances (see below).",
    "If you do decide to refer your complaint to the Ombudsman you must do so within six months "
    "of the date of this letter.",
    "If you do not refer your complaint to the Ombudsman within six months of the date of this "
    "letter, the Ombudsman will not have our permission to consider your complaint and so will "
    "only be able to do so in very limited circumstances.",
    "For example, if the Ombudsman believes that the delay was as a result of exceptional "
    "circumstances.",
]

# What today's main printed instead: variant (1), then a paraphrase of variant (2).
VARIANT_1_AND_PARAPHRASE = defaults.ANNEX_3R_NO_CONSENT + (
    "\n\nThe Ombudsman might not be able to consider your complaint because it was made more "
    "than six years after the event and more than three years after you realised (or should "
    "have realised) that you had cause to complain. Whether your complaint was made in time is "
    "a matter for the Ombudsman to decide, and the Ombudsman may still consider it. We do not "
    "consent to the Ombudsman considering your complaint if it is outside those time limits."
)


def _sent_text(scenario, firm, handler):
    complaint = prepare(scenario, firm, handler)
    send(scenario, complaint, handler)
    letter = Letter.objects.get(complaint=complaint, letter_type=scenario.letter_type)
    assert all(c["passed"] for c in letter.check_results), letter.failed_checks
    return letter, normalise(html_to_text(letter.html))


def _refused(name, firm, body):
    """Sending ``name``'s letter from a firm version with ``body`` (older wording) is refused as
    incomplete, and nothing is filed."""
    refusal = refused_with_template(scenario_named(name), firm, body)
    assert refusal.code == LetterErrorCode.CONTENT_INCOMPLETE
    assert not Letter.objects.filter(complaint__firm=firm).exists()
    return refusal


# --- DISP 1.6.2R(1)(f), DISP 1.8: the time-barred rejection -------------------------------


def test_disp_1_annex_3R_2_time_barred_rejection_prints_variant_2_word_for_word(firm, handler):
    letter, text = _sent_text(scenario_named("time-barred"), firm, handler)
    assert normalise(" ".join(HANDBOOK_ANNEX_3R_2)) in text
    assert "free of charge - but you must do so" not in text  # not variant (1)
    assert "this letter is our final response" in text
    assert letter.includes_six_month_wording and letter.includes_fos_referral_right


def test_disp_1_6_2R_1_f_variant_1_followed_by_a_paraphrase_is_refused(firm):
    _, body = defaults.default_template(LetterType.TIME_BARRED)
    body = body.replace(defaults.ANNEX_3R_TIME_BARRED, VARIANT_1_AND_PARAPHRASE)
    refusal = _refused("time-barred", firm, body)
    failed = {c["key"]: c for c in refusal.extra["failed_checks"]}
    assert set(failed) == {"annex_3r_wording"}
    assert failed["annex_3r_wording"]["rule"] == "DISP 1.6.2R(1)(f); DISP 1 Annex 3R(2)"
    assert "DISP 1 Annex 3R(2)" in refusal.rule
    assert "variant (2) wording, word for word" in refusal.message


def test_disp_1_annex_3R_2_one_word_changed_is_refused(firm):
    _, body = defaults.default_template(LetterType.TIME_BARRED)
    body = body.replace("might not be able to consider", "may not be able to consider")
    refusal = _refused("time-barred", firm, body)
    assert {c["key"] for c in refusal.extra["failed_checks"]} == {"annex_3r_wording"}


# --- DISP 1.7.1R(2): the forwarding notice is a final response ----------------------------

FINAL_RESPONSE_ELEMENTS = {
    "final_response_statement",
    "fos_referral_right",
    "six_month_wording",
    "waiver_statement",
    "fos_website",
    "fos_leaflet",
}


@pytest.mark.parametrize("name", ["forward", "forward-part"])
def test_disp_1_7_1R_2_forwarding_notice_is_a_final_response(name, firm, handler):
    letter, text = _sent_text(scenario_named(name), firm, handler)
    assert {c["key"] for c in letter.check_results} >= FINAL_RESPONSE_ELEMENTS
    assert "this letter is our final response" in text
    assert normalise(defaults.ANNEX_3R_NO_CONSENT) in text
    assert "www.financial-ombudsman.org.uk" in text
    assert "standard explanatory leaflet" in text
    comm = letter.complaint.communications.get(kind="forwarding_notice")
    assert comm.includes_fos_referral_right and comm.includes_six_month_wording


def test_disp_1_7_1R_2_forwarding_notice_without_the_final_response_content_is_refused(firm):
    """A firm's notice written before the change (why, and the other firm's details, only)."""
    _, body = defaults.default_template(LetterType.FORWARDING_NOTICE)
    older = body.split("{% if fos_available %}")[0] + defaults.SIGN_OFF
    refusal = _refused("forward", firm, older)
    failed = {c["key"]: c["rule"] for c in refusal.extra["failed_checks"]}
    assert set(failed) == FINAL_RESPONSE_ELEMENTS
    assert all(
        "DISP 1.7.1R(2)" in failed[k] for k in FINAL_RESPONSE_ELEMENTS - {"six_month_wording"}
    )
    assert "That the notice is the firm's final response (DISP 1.7.1R(2))" in refusal.message


def test_disp_1_7_1R_2_offshore_forwarding_notice_says_the_fos_is_not_available(offshore_firm):
    handler = member(offshore_firm, "handler")
    _, text = _sent_text(scenario_named("forward"), offshore_firm, handler)
    assert "this letter is our final response to your complaint" in text
    assert "the financial ombudsman service is not able to consider" in text
    assert "within six months" not in text


# --- DISP 1.6.1R(1)(b): the acknowledgement's timetable statement -------------------------

ACK_BOTH_RESPONSES = (
    " It will be either our final response or a letter explaining why we are not yet in a "
    "position to give one and when we expect to."
)


def test_disp_1_6_1R_1_b_ii_acknowledgement_states_the_timetable(firm, handler):
    _, text = _sent_text(scenario_named("ack"), firm, handler)
    assert "we will send you a written response within eight weeks of receiving your" in text
    assert "it will be either our final response or a letter explaining why" in text


def test_disp_1_6_1R_1_b_ii_acknowledgement_naming_only_the_eight_weeks_is_refused(firm):
    """In force since 1 June 2026: the statement says the response is either a final response
    or a response explaining why one cannot be given yet, not just that something comes within
    eight weeks."""
    _, body = defaults.default_template(LetterType.ACKNOWLEDGEMENT)
    assert ACK_BOTH_RESPONSES in body
    refusal = _refused("ack", firm, body.replace(ACK_BOTH_RESPONSES, ""))
    failed = {c["key"]: c for c in refusal.extra["failed_checks"]}
    assert set(failed) == {"timetable"}
    assert failed["timetable"]["rule"] == "DISP 1.6.1R(1)(b)(ii)"
    assert "Response timetable statement" in refusal.message


def test_disp_1_6_1R_1_b_i_psd_acknowledgement_without_the_holding_response_is_refused(firm):
    _, body = defaults.default_template(LetterType.ACKNOWLEDGEMENT)
    rendered_psd = body.replace("we will send you a holding response", "we will write to you")
    refusal = _refused("ack-psd", firm, rendered_psd)
    failed = {c["key"]: c["rule"] for c in refusal.extra["failed_checks"]}
    assert failed == {"timetable": "DISP 1.6.1R(1)(b)(i)"}


def test_disp_1_6_1R_1_b_acknowledgement_without_any_timetable_is_refused(firm):
    _, body = defaults.default_template(LetterType.ACKNOWLEDGEMENT)
    start = body.index("{% if is_psd %}")
    end = body.index("{% endif %}", start) + len("{% endif %}")
    refusal = _refused("ack", firm, body[:start] + body[end:])
    assert {c["key"] for c in refusal.extra["failed_checks"]} == {"timetable"}


# --- the standard wording reaches firms; their own versions stay -------------------------


def test_changed_standard_wording_is_added_as_a_new_system_version(firm, admin_user):
    """A database seeded before a wording change (system version with older words) gets the
    new wording as a new version on first use; the old version stays for the letters that used
    it, and a firm's own template is neither changed nor replaced."""
    template = LetterTemplate.objects.get(
        firm=None, letter_type=LetterType.TIME_BARRED, language="en"
    )
    latest = content.ensure_system_template(LetterType.TIME_BARRED, now=SOON)
    older = LetterTemplateVersion.objects.create(
        template=template,
        number=latest.number + 1,
        subject=latest.subject,
        body=latest.body.replace(defaults.ANNEX_3R_TIME_BARRED, VARIANT_1_AND_PARAPHRASE),
        note="Standard wording",
        created_at=SOON,
    )
    own = letter_template_save(
        firm_id=firm.pk,
        letter_type=LetterType.ACKNOWLEDGEMENT,
        actor=admin_user,
        now=SOON,
        subject="Received ({{ reference }})",
        body="Dear {{ complainant_name }}, we have your complaint.",
    )

    current = content.current_version(firm, LetterType.TIME_BARRED, now=SOON)

    assert current.number == older.number + 1
    assert current.body == defaults.default_template(LetterType.TIME_BARRED)[1]
    assert current.note == "Standard wording updated"
    assert LetterTemplateVersion.objects.get(pk=older.pk).body == older.body
    assert content.ensure_system_template(LetterType.TIME_BARRED, now=SOON) == current
    assert content.current_version(firm, LetterType.ACKNOWLEDGEMENT, now=SOON) == own
    assert LetterTemplateVersion.objects.get(pk=own.pk).body == own.body
