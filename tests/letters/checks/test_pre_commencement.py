"""Acts before the regime starts (issue #14 item 5) and "may now refer" as a fact (item 8).

CP26/4 para 3.24: the Financial Ombudsman Service may consider complaints about the new
cryptoasset activities only where the act or omission happened on or after the day the regime
goes live (configuration; 25 Oct 2027). Para 3.29: firms say clearly whether the Ombudsman is
available. So a complaint about an earlier act gets no referral right, no six-month wording and
no six-month date: its letters say plainly that the Ombudsman cannot consider it and that the
firm's own complaints procedure still applies, and the FOS jurisdiction checklist agrees.
DISP 2.8.1R: "you may now refer" only when the Ombudsman may consider the complaint on the day
the letter is sent.
"""

from datetime import date, timedelta

import pytest

from common.errors import TransitionRefused, ValidationFailed
from complaints import services
from complaints.choices import Activity, Outcome, UnknownEventDateWording
from complaints.errors import ErrorCode
from complaints.models import Communication
from fos.services import referral_log
from letters import defaults
from letters.checks.spec import Facts
from letters.checks.text import (
    FOS_REFERRAL,
    MAY_NOW_REFER,
    SIX_MONTH_LIMIT,
    has,
    html_to_text,
    normalise,
)
from letters.choices import LetterStatus, LetterType
from letters.errors import LetterErrorCode
from letters.models import Letter
from letters.services import letter_create_draft, letter_template_save
from tests.factories import london, make_complaint
from tests.letters import scenarios as sc

pytestmark = pytest.mark.django_db

BEFORE_GO_LIVE = date(2026, 4, 1)  # before the configured commencement (25 Oct 2027)

# One of each letter that speaks of the Ombudsman, about an act before the regime began.
PRE_COMMENCEMENT = [
    sc.scenario_named("ack"),
    sc.scenario_named("src"),
    sc.scenario_named("holding"),
    sc.scenario_named("holding-psd"),
    sc.scenario_named("final-upheld"),
    sc.scenario_named("final-redress"),
    sc.scenario_named("final-rejected"),
    sc.scenario_named("time-barred"),
    sc.scenario_named("forward"),
]


def _event(scenario) -> dict:
    if scenario.letter_type == LetterType.TIME_BARRED:
        # Outside the six-year/three-year limits and, being years before go-live, outside the
        # regime too: the crypto activity, not the firm's other business.
        return {"activity": Activity.OPERATING_CATP}
    return {"event_date": BEFORE_GO_LIVE}


def _use_template(firm, letter_type, body):
    subject, _ = defaults.default_template(letter_type)
    letter_template_save(
        firm_id=firm.pk,
        letter_type=letter_type,
        actor=sc.member(firm, "admin"),
        now=sc.SOON,
        subject=subject,
        body=body,
    )


def _sent(scenario, firm, handler, **complaint):
    c = sc.prepare(scenario, firm, handler, **complaint)
    sc.send(scenario, c, handler)
    c.refresh_from_db()
    letter = Letter.objects.get(complaint=c, letter_type=scenario.letter_type)
    return c, letter, normalise(html_to_text(letter.html))


@pytest.mark.parametrize("scenario", PRE_COMMENCEMENT, ids=lambda s: s.id)
def test_cp26_4_para_3_24_pre_commencement_letters_say_the_fos_cannot_consider_it(
    scenario, firm, handler
):
    """Every letter about an act before commencement states that the Ombudsman cannot
    consider it and that the firm's own procedure still applies; none offers a referral right,
    a six-month limit or "you may now refer"; no six-month date is set."""
    c, letter, text = _sent(scenario, firm, handler, **_event(scenario))

    assert letter.status == LetterStatus.SENT
    assert all(r["passed"] for r in letter.check_results), letter.check_results
    assert "fos_not_available" in {r["key"] for r in letter.check_results}
    assert "financial ombudsman service cannot consider this complaint" in text
    assert "happened before mon 25 oct 2027" in text
    assert "our own complaints procedure still applies" in text
    for offer in (FOS_REFERRAL, SIX_MONTH_LIMIT, MAY_NOW_REFER):
        assert not has(offer, text), offer
    assert not letter.fos_available
    assert not (letter.includes_fos_referral_right or letter.includes_six_month_wording)
    comm = Communication.objects.get(pk=letter.communication_id)
    assert not (comm.includes_fos_referral_right or comm.includes_six_month_wording)
    assert c.fos_six_month_deadline is None
    assert not c.six_month_wording_included


# A firm's own final response that always offers the Ombudsman, whatever the facts.
ALWAYS_OFFERS = f"""{defaults.GREETING}

We do not uphold your complaint.

Our reasons: {{{{ reasons }}}}

## If you remain dissatisfied

This letter is our final response. If you remain dissatisfied, you may now refer your complaint \
to the Financial Ombudsman Service.

{defaults.ANNEX_3R_NO_CONSENT}

{defaults.LEAFLET}

{defaults.FOS_CONTACT}

{defaults.SIGN_OFF}"""


def test_cp26_4_para_3_24_final_response_offering_the_fos_for_an_earlier_act_is_refused(
    firm, handler
):
    """The checks refuse referral-right, six-month and "may now refer" wording in a letter about
    an act before commencement, and require the statement: nothing is sent or recorded."""
    scenario = sc.scenario_named("final-rejected")
    _use_template(firm, LetterType.FINAL_REJECTED, ALWAYS_OFFERS)
    c = sc.prepare(scenario, firm, handler, event_date=BEFORE_GO_LIVE)
    with pytest.raises(TransitionRefused) as exc:
        sc.send(scenario, c, handler)
    assert exc.value.code == LetterErrorCode.CONTENT_INCOMPLETE
    failed = {r["key"] for r in exc.value.extra["failed_checks"]}
    assert {"fos_not_available", "no_six_month_wording", "no_referral_now"} <= failed
    assert "CP26/4 paras 3.24 and 3.29" in (exc.value.rule or "")
    c.refresh_from_db()
    assert c.final_response_sent_at is None and c.fos_six_month_deadline is None


def test_cp26_4_para_3_24_post_commencement_final_response_must_offer_the_fos(
    firm, handler, settings
):
    """The opposite for an act on or after commencement: the FOS block is required, and a
    letter saying the Ombudsman cannot consider it is refused."""
    settings.CRYPTO_COMMENCEMENT_DATE = BEFORE_GO_LIVE
    scenario = sc.scenario_named("final-rejected")
    _, letter, text = _sent(scenario, firm, handler, event_date=BEFORE_GO_LIVE)
    assert letter.fos_available and letter.includes_six_month_wording
    assert has(FOS_REFERRAL, text)

    _, body = defaults.default_template(LetterType.FINAL_REJECTED)
    own = body.replace(defaults.FINAL_FOS_BLOCK, defaults.FOS_BEFORE_COMMENCEMENT)
    _use_template(firm, LetterType.FINAL_REJECTED, own)
    c = sc.prepare(scenario, firm, handler, event_date=BEFORE_GO_LIVE)
    with pytest.raises(TransitionRefused) as exc:
        sc.send(scenario, c, handler)
    assert "fos_referral_right" in {r["key"] for r in exc.value.extra["failed_checks"]}


# --- E32: the day before and the day of commencement; letters and checklist agree -----------

RECEIVED_AFTER_GO_LIVE = london(2027, 12, 1, 10)  # Wed 1 Dec 2027


@pytest.mark.parametrize(
    ("event", "offered", "checklist"),
    [(date(2027, 10, 22), False, "fail"), (date(2027, 10, 25), True, "pass")],
    ids=["E32-fri-22-oct", "E32-mon-25-oct"],
)
def test_cp26_4_para_3_24_e32_letters_and_jurisdiction_checklist_agree(
    firm, handler, event, offered, checklist
):
    c = make_complaint(
        firm=firm,
        received_at=RECEIVED_AFTER_GO_LIVE,
        actor=handler,
        event_date=event,
        awareness_date=event,
    )
    start = RECEIVED_AFTER_GO_LIVE + timedelta(hours=1)
    services.complaint_acknowledge(complaint_id=c.pk, actor=handler, now=start)
    services.complaint_start_investigation(complaint_id=c.pk, actor=handler, now=start)
    sent = RECEIVED_AFTER_GO_LIVE + timedelta(days=30)
    services.complaint_send_final_response(
        complaint_id=c.pk, actor=handler, now=sent, outcome=Outcome.NOT_UPHELD, summary=sc.REASONS
    )
    letter = Letter.objects.get(complaint=c, letter_type=LetterType.FINAL_REJECTED)
    assert letter.includes_fos_referral_right is offered
    assert letter.includes_six_month_wording is offered

    referral = referral_log(
        complaint_id=c.pk, actor=handler, now=sent + timedelta(days=2), referred_on=sent.date()
    )
    line = next(x for x in referral.checklist if x["key"] == "commencement")
    assert line["result"] == checklist
    assert c.fos_access().available is offered


# --- the event date unknown: said so, and the firm's wording ---------------------------------


def test_cp26_4_para_3_24_final_response_refused_until_event_date_or_unknown_is_recorded(
    firm, handler
):
    scenario = sc.scenario_named("final-rejected")
    c = sc.prepare(scenario, firm, handler, event_date_unknown=False)
    with pytest.raises(ValidationFailed) as exc:
        sc.send(scenario, c, handler)
    assert exc.value.code == ErrorCode.EVENT_DATE_NOT_STATED
    assert "event_date" in exc.value.fields
    with pytest.raises(ValidationFailed) as drafted:
        letter_create_draft(
            complaint_id=c.pk,
            letter_type=LetterType.FINAL_REJECTED,
            actor=handler,
            now=sc.LATER,
            outcome=Outcome.NOT_UPHELD,
            reasons=sc.REASONS,
        )
    assert "event_date" in drafted.value.fields

    services.complaint_record_event_date(
        complaint_id=c.pk, actor=handler, now=sc.SOON, event_date_unknown=True
    )
    sc.send(scenario, c, handler)
    c.refresh_from_db()
    assert c.event_date_unknown and c.final_response_sent_at is not None


def test_cp26_4_para_3_24_record_event_date_takes_a_date_or_unknown_not_both(firm, handler):
    c = make_complaint(firm=firm, received_at=sc.RECEIVED, actor=handler, event_date_unknown=False)
    for bad in ({}, {"event_date": BEFORE_GO_LIVE, "event_date_unknown": True}):
        with pytest.raises(ValidationFailed) as exc:
            services.complaint_record_event_date(
                complaint_id=c.pk, actor=handler, now=sc.SOON, **bad
            )
        assert set(exc.value.fields) & {"event_date", "event_date_unknown"}
    with pytest.raises(ValidationFailed) as after:
        services.complaint_record_event_date(
            complaint_id=c.pk, actor=handler, now=sc.SOON, event_date=date(2026, 4, 20)
        )
    assert "event_date" in after.value.fields  # after the complaint arrived
    services.complaint_record_event_date(
        complaint_id=c.pk, actor=handler, now=sc.SOON, event_date=BEFORE_GO_LIVE
    )
    c.refresh_from_db()
    assert (c.event_date, c.event_date_unknown) == (BEFORE_GO_LIVE, False)
    assert c.time_bar_date is not None  # the DISP 2.8.2R(2) limit recomputed


@pytest.mark.parametrize(
    ("wording", "offered"),
    [(UnknownEventDateWording.OFFER_FOS, True), (UnknownEventDateWording.FOS_MAY_NOT, False)],
)
def test_cp26_4_para_3_24_unknown_event_date_letters_use_the_firms_wording(
    firm, handler, wording, offered
):
    firm.unknown_event_date_wording = wording
    firm.save()
    scenario = sc.scenario_named("final-rejected")
    c, letter, text = _sent(scenario, firm, handler, event_date_unknown=True)
    assert all(r["passed"] for r in letter.check_results), letter.check_results
    assert letter.includes_fos_referral_right is offered
    assert letter.includes_six_month_wording is offered
    assert ("financial ombudsman service may not be able to consider" in text) is not offered
    if not offered:
        assert "our own complaints procedure still applies" in text
        assert c.fos_six_month_deadline is None


# --- DISP 2.8.1R: "may now refer" is a fact on the send date, not a phrase --------------------

HOLDING_NOW = "Because eight weeks have passed, you may now refer your complaint to the Ombudsman."


def test_disp_2_8_1R_holding_response_may_now_refer_refused_for_an_act_before_commencement(
    firm, handler
):
    """Eight weeks have passed, but the Ombudsman cannot consider an act before commencement:
    a holding response saying "you may now refer" is refused on the facts."""
    scenario = sc.scenario_named("holding")
    _, body = defaults.default_template(LetterType.HOLDING)
    own = body.replace("{{ reasons }}", "{{ reasons }}\n\n" + HOLDING_NOW, 1)
    _use_template(firm, LetterType.HOLDING, own)
    c = sc.prepare(scenario, firm, handler, event_date=BEFORE_GO_LIVE)
    with pytest.raises(TransitionRefused) as exc:
        sc.send(scenario, c, handler)
    assert "no_referral_now" in {r["key"] for r in exc.value.extra["failed_checks"]}
    assert "DISP 2.8.1R" in (exc.value.rule or "")


def test_disp_2_8_1R_may_now_refer_is_judged_on_the_send_date(firm, handler):
    """The same letter text passes or fails on whether the Ombudsman may consider the complaint
    on the day it is sent: a final response (itself DISP 2.8.1R(1)) may say so."""
    from letters.checks.requirements import checks_for

    def keys(**facts):
        return {c.key for c in checks_for(Facts(**facts))}

    assert "no_referral_now" in keys(letter_type=LetterType.HOLDING, fos_open_on_send=False)
    assert "no_referral_now" not in keys(letter_type=LetterType.HOLDING, fos_open_on_send=True)
    assert "no_referral_now" in keys(letter_type=LetterType.FINAL_REJECTED, fos_available=False)


@pytest.mark.parametrize(
    ("sentence", "now"),
    [
        (
            "If you have not received our final response by then, you may refer your complaint "
            "to the Financial Ombudsman Service, free of charge.",
            False,
        ),
        (
            "If we have not sent our final response within eight weeks, you can refer it to the "
            "Financial Ombudsman Service.",
            False,
        ),
        ("You may refer your complaint to the Financial Ombudsman Service.", True),
        ("If you remain dissatisfied, you may now refer your complaint to the Ombudsman.", True),
    ],
)
def test_disp_2_8_1R_2A_conditional_referral_sentence_is_not_a_referral_now(sentence, now):
    """DISP 2.8.1R(2A): the PSD/EMD holding response's "if you have not received our final
    response by then, you may refer" is a right to come, not a statement that the complainant
    may refer today; an unconditional "you may refer" is."""
    assert has(MAY_NOW_REFER, normalise("Thank you. " + sentence)) is now


def test_disp_2_8_1R_2A_psd_holding_response_conditional_sentence_passes_before_15_days(
    firm, handler
):
    """Sent within 15 business days (the Ombudsman cannot consider it yet), the PSD/EMD
    holding response's conditional referral sentence passes every check."""
    scenario = sc.scenario_named("holding-psd")
    _, letter, text = _sent(scenario, firm, handler)
    assert "if you have not received our final response by then, you may refer" in text
    results = {r["key"]: r["passed"] for r in letter.check_results}
    assert results.get("no_referral_now") is True


def test_cp26_4_para_3_24_api_refuses_a_final_response_until_the_event_date_is_recorded(
    firm, handler
):
    """Through the API: 400 ``event_date_not_stated`` naming ``event_date``; then
    ``POST …/event-date/`` records it and the final response goes."""
    from django.urls import reverse

    from tests.api.conftest import client_for

    c = sc.prepare(sc.scenario_named("final-rejected"), firm, handler, event_date_unknown=False)
    api = client_for(handler)

    def post(name, payload):
        return api.post(reverse(f"api-complaint-{name}", args=[c.pk]), payload, format="json")

    final = {"outcome": "not_upheld", "summary": sc.REASONS, "sent_at": sc.LATER.isoformat()}
    refused = post("final-response", final)
    assert refused.status_code == 400
    assert refused.json()["code"] == "event_date_not_stated"
    assert "event_date" in refused.json()["fields"]

    both = post("event-date", {"event_date": "2026-04-01", "event_date_unknown": True})
    assert both.status_code == 400 and "event_date_unknown" in both.json()["fields"]
    recorded = post("event-date", {"event_date": "2026-04-01"})
    assert recorded.status_code == 200, recorded.json()
    assert (recorded.json()["event_date"], recorded.json()["event_date_unknown"]) == (
        "2026-04-01",
        False,
    )
    sent = post("final-response", final)
    assert sent.status_code == 200, sent.json()
    assert not sent.json()["six_month_wording_included"]  # an act before commencement
