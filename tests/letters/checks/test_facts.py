"""Checks that test facts, not phrases (issue #14 item 8).

An upheld, partly upheld or goodwill final response states the redress recorded on the
complaint's redress ledger (DISP 1.4.1R(3); DISP 1.6.2R(1)(a)/(b)): the letter is compared with
the ledger, amount by amount. The six-month wording of DISP 1 Annex 3R appears only where the
Financial Ombudsman Service may consider the complaint (CP26/4 para 3.29; DISP 2.8.2R(1)).
"""

from datetime import timedelta
from decimal import Decimal

import pytest

from common.errors import TransitionRefused
from complaints import services
from complaints.choices import Outcome, RedressKind
from letters import defaults
from letters.checks.text import html_to_text, normalise
from letters.choices import LetterStatus, LetterType
from letters.errors import LetterErrorCode
from letters.models import Letter
from letters.services import letter_template_save
from remediation.services import redress as ledger
from tests.letters import scenarios as sc

pytestmark = pytest.mark.django_db

# A firm's own final response that prints the handler's redress summary but not the ledger.
NO_LEDGER = f"""{defaults.GREETING}

{{% if outcome_code == "goodwill" %}}We have decided to offer you redress, without accepting \
that we have done anything wrong. Our offer is set out below.{{% else %}}We uphold your \
complaint.{{% endif %}}

{{{{ reasons }}}}

{{% if redress_summary %}}{{{{ redress_summary }}}}

{{% endif %}}{defaults.FINAL_FOS_BLOCK}
{defaults.SIGN_OFF}"""


def _offer(complaint, handler, amount, kind=RedressKind.DISTRESS):
    return ledger.redress_offer(
        complaint_id=complaint.pk,
        actor=handler,
        now=sc.SOON + timedelta(hours=1),
        data=ledger.RedressData(kind=kind, amount_gbp=Decimal(amount)),
    )


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


def _send_final(complaint, handler, outcome, redress_summary=""):
    return services.complaint_send_final_response(
        complaint_id=complaint.pk,
        actor=handler,
        now=sc.LATER,
        outcome=outcome,
        summary=sc.REASONS,
        redress_summary=redress_summary,
    )


FINAL_CASES = [
    pytest.param(LetterType.FINAL_UPHELD, Outcome.UPHELD, "DISP 1.6.2R(1)(a)", id="upheld"),
    pytest.param(
        LetterType.FINAL_UPHELD, Outcome.PARTIALLY_UPHELD, "DISP 1.6.2R(1)(a)", id="partly"
    ),
    pytest.param(LetterType.FINAL_REDRESS, Outcome.GOODWILL, "DISP 1.6.2R(1)(b)", id="goodwill"),
]


@pytest.mark.parametrize("letter_type,outcome,rule", FINAL_CASES)
def test_disp_1_4_1R_and_1_6_2R_1_final_response_without_the_ledger_redress_is_refused(
    letter_type, outcome, rule, firm, handler
):
    """£100 offered on the ledger and no redress in the letter: refused, naming the amount."""
    _use_template(firm, letter_type, NO_LEDGER)
    complaint = sc.prepare(sc.Scenario("final", letter_type, outcome=outcome), firm, handler)
    _offer(complaint, handler, "100")

    with pytest.raises(TransitionRefused) as exc:
        _send_final(complaint, handler, outcome)

    assert exc.value.code == LetterErrorCode.CONTENT_INCOMPLETE
    assert "£100.00" in exc.value.message
    assert "DISP 1.4.1R(3)" in exc.value.rule and rule in exc.value.rule
    failed = {c["key"]: c for c in exc.value.extra["failed_checks"]}
    assert set(failed) == {"redress_ledger"}
    assert "£100.00" in failed["redress_ledger"]["detail"]
    assert not Letter.objects.filter(complaint=complaint, letter_type=letter_type).exists()


def test_disp_1_6_2R_1_a_a_redress_summary_with_another_amount_than_the_ledger_is_refused(
    firm, handler
):
    """The handler's own summary says £150; the ledger records £100 offered: refused."""
    _use_template(firm, LetterType.FINAL_UPHELD, NO_LEDGER)
    complaint = sc.prepare(sc.scenario_named("final-upheld"), firm, handler)
    _offer(complaint, handler, "100")

    with pytest.raises(TransitionRefused) as exc:
        _send_final(complaint, handler, Outcome.UPHELD, "We will pay you £150.00 for the delay.")

    assert "£100.00" in exc.value.message
    assert "£150.00" not in exc.value.message


def test_disp_1_6_2R_1_a_a_summary_stating_every_ledger_amount_passes(firm, handler):
    _use_template(firm, LetterType.FINAL_UPHELD, NO_LEDGER)
    complaint = sc.prepare(sc.scenario_named("final-upheld"), firm, handler)
    _offer(complaint, handler, "100")
    _offer(complaint, handler, "1250.5", kind=RedressKind.FINANCIAL_LOSS)

    _send_final(
        complaint,
        handler,
        Outcome.UPHELD,
        "We will refund £1,250.50 and pay you £100.00 for the distress caused.",
    )

    letter = Letter.objects.get(complaint=complaint, letter_type=LetterType.FINAL_UPHELD)
    assert letter.status == LetterStatus.SENT


@pytest.mark.parametrize("letter_type,outcome,rule", FINAL_CASES)
def test_disp_1_4_1R_3_standard_final_response_prints_the_ledger_redress(
    letter_type, outcome, rule, firm, handler
):
    """The shipped template states every offered, accepted and paid item; a declined offer is
    not promised again."""
    complaint = sc.prepare(sc.Scenario("final", letter_type, outcome=outcome), firm, handler)
    kind = RedressKind.GOODWILL if outcome == Outcome.GOODWILL else RedressKind.DISTRESS
    _offer(complaint, handler, "100", kind=kind)
    accepted = _offer(complaint, handler, "1250.5", kind=RedressKind.FINANCIAL_LOSS)
    ledger.redress_accept(item_id=accepted.pk, actor=handler, now=sc.SOON + timedelta(hours=2))
    paid = _offer(complaint, handler, "40", kind=RedressKind.FINANCIAL_LOSS)
    ledger.redress_accept(item_id=paid.pk, actor=handler, now=sc.SOON + timedelta(hours=2))
    ledger.redress_pay(
        item_id=paid.pk, actor=handler, now=sc.SOON + timedelta(hours=3), payment_reference="FPS-1"
    )
    declined = _offer(complaint, handler, "7", kind=RedressKind.DISTRESS)
    ledger.redress_decline(
        item_id=declined.pk, actor=handler, now=sc.SOON + timedelta(hours=2), reason="Too low"
    )

    _send_final(complaint, handler, outcome)

    letter = Letter.objects.get(complaint=complaint, letter_type=letter_type)
    assert letter.status == LetterStatus.SENT
    assert all(c["passed"] for c in letter.check_results)
    assert "redress_ledger" in {c["key"] for c in letter.check_results}
    text = normalise(html_to_text(letter.html))
    for amount in ("£100.00", "£1,250.50", "£40.00"):
        assert amount in text
    assert "£7.00" not in text


def test_disp_1_6_2R_1_c_rejected_response_does_not_ask_for_ledger_redress(firm, handler):
    """Not upheld: the ledger check does not apply (a declined offer may sit on the ledger)."""
    scenario = sc.scenario_named("final-rejected")
    complaint = sc.prepare(scenario, firm, handler)
    declined = _offer(complaint, handler, "20")
    ledger.redress_decline(
        item_id=declined.pk, actor=handler, now=sc.SOON + timedelta(hours=2), reason="No thanks"
    )
    sc.send(scenario, complaint, handler)
    letter = Letter.objects.get(complaint=complaint, letter_type=LetterType.FINAL_REJECTED)
    assert "redress_ledger" not in {c["key"] for c in letter.check_results}


# --- six-month wording only where the FOS may consider the complaint ------------------------

# DISP 1 Annex 3R variant (2)'s six-month sentence, on its own (no "Financial Ombudsman
# Service" referral phrase for the older checks to catch).
SIX_MONTH_SENTENCE = (
    "If you do decide to refer your complaint to the Ombudsman you must do so within six "
    "months of the date of this letter."
)


@pytest.mark.parametrize(
    "scenario",
    [
        sc.scenario_named("ack-offshore"),
        sc.Scenario(
            "holding-psd-offshore", LetterType.HOLDING_PSD, offshore=True, regime="psd_emd"
        ),
        sc.scenario_named("final-rejected-offshore"),
        sc.scenario_named("time-barred-offshore"),
        sc.scenario_named("src-offshore"),
    ],
    ids=lambda s: s.id,
)
def test_cp26_4_3_29_six_month_wording_without_fos_access_is_refused(scenario, offshore_firm):
    """The FOS cannot consider this complaint (no UK establishment): a six-month window for
    referring it would mislead (DISP 2.8.2R(1); DISP 1 Annex 3R)."""
    _, body = defaults.default_template(scenario.letter_type)
    body = body.replace(defaults.SIGN_OFF, SIX_MONTH_SENTENCE + "\n\n" + defaults.SIGN_OFF)
    refusal = sc.refused_with_template(scenario, offshore_firm, body)
    failed = {c["key"]: c for c in refusal.extra["failed_checks"]}
    assert "no_six_month_wording" in failed
    assert "CP26/4 para 3.29" in failed["no_six_month_wording"]["rule"]
    assert "DISP 2.8.2R(1)" in refusal.rule


def test_cp26_4_3_29_standard_offshore_letters_carry_no_six_month_wording(offshore_firm):
    scenario = sc.Scenario(
        "holding-psd-offshore", LetterType.HOLDING_PSD, offshore=True, regime="psd_emd"
    )
    handler = sc.member(offshore_firm, "handler")
    complaint = sc.prepare(scenario, offshore_firm, handler)
    sc.send(scenario, complaint, handler)
    letter = Letter.objects.get(complaint=complaint, letter_type=LetterType.HOLDING_PSD)
    assert letter.status == LetterStatus.SENT
    assert "no_six_month_wording" in {c["key"] for c in letter.check_results}
