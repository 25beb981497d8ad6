"""The jurisdiction checklist against disp-rules.md §7 (E16, E25–E32, E40–E43): computed from
the complaint when the referral is logged, stored with it and recomputable."""

from datetime import date
from decimal import Decimal

import pytest

from complaints.choices import Activity, Relationship
from complaints.models import FirmActivity
from fos import services
from tests.factories import ComplainantFactory, FirmFactory, london, make_complaint
from tests.fos.helpers import at, log, responded_complaint

pytestmark = pytest.mark.django_db


def lines(referral) -> dict[str, dict]:
    return {line["key"]: line for line in referral.checklist}


def result(referral, key: str) -> str:
    return lines(referral)[key]["result"]


# --- DISP 2.8.2R(1): six months from a final response with the wording (E25–E28) ---------


@pytest.mark.parametrize(
    ("example", "sent", "last_in_time", "first_late"),
    [
        ("E25", date(2026, 4, 15), date(2026, 10, 15), date(2026, 10, 16)),
        ("E26", date(2026, 8, 31), date(2027, 2, 28), date(2027, 3, 1)),
        ("E27", date(2027, 8, 31), date(2028, 2, 29), date(2028, 3, 1)),
    ],
)
def test_disp_2_8_2r_1_six_months_from_the_date_sent(
    firm, handler, example, sent, last_in_time, first_late, settings
):
    # The worked examples send the final response in 2026-2027: the regime is taken to be in
    # force by then (commencement is configuration), so the letter carries the six-month wording
    # (an act before commencement gets none: CP26/4 para 3.24, tests/letters/checks).
    settings.CRYPTO_COMMENCEMENT_DATE = date(2026, 1, 1)
    received = london(sent.year, sent.month, 1, 10) if sent.day > 1 else london(2026, 3, 2, 10)
    c = responded_complaint(
        firm=firm, actor=handler, received=received, response_after_days=(sent.day - 1)
    )
    assert c.final_response_sent_at.date() == sent
    assert c.fos_six_month_deadline == last_in_time
    in_time = log(c, handler, referred_on=last_in_time)
    assert result(in_time, "six_months") == "pass", example
    assert lines(in_time)["six_months"]["rule"].startswith("DISP 2.8.2R(1)")
    services.STAGE_SERVICES["end"](
        referral_id=in_time.pk,
        actor=handler,
        now=at(last_in_time),
        on=last_in_time,
        kind="withdrawn",
    )
    late = log(c, handler, referred_on=first_late)
    assert result(late, "six_months") == "fail", example
    assert result(late, "consent") == "fail"
    assert late.jurisdiction_result == "fail"


def test_disp_2_8_3g_e28_six_month_limit_not_triggered_without_the_wording(firm, handler):
    c = responded_complaint(
        firm=firm,
        actor=handler,
        received=london(2026, 4, 1, 10),
        response_after_days=14,
        six_month_wording=False,
    )
    assert c.fos_six_month_deadline is None
    referral = log(c, handler, referred_on=date(2027, 6, 1))
    line = lines(referral)["six_months"]
    assert line["result"] == "pass"
    assert "Not triggered" in line["explanation"]


# --- DISP 2.8.2R(2): six years / three years (E29–E31) ------------------------------------


@pytest.mark.parametrize(
    ("example", "event", "awareness", "limit"),
    [
        ("E29", date(2027, 11, 1), date(2027, 11, 1), date(2033, 11, 1)),
        ("E30", date(2027, 11, 1), date(2031, 5, 10), date(2034, 5, 10)),
        ("E31", date(2028, 2, 29), date(2028, 2, 29), date(2034, 2, 28)),
    ],
)
def test_disp_2_8_2r_2_complaint_to_the_firm_within_the_limit_is_in_time(
    firm, handler, example, event, awareness, limit
):
    on_limit = make_complaint(
        firm=firm,
        received_at=london(limit.year, limit.month, limit.day, 10),
        event_date=event,
        awareness_date=awareness,
    )
    assert on_limit.time_bar_date == limit
    # Referred to the FOS long after the limit: the complaint to the firm, on record, counts.
    referral = log(on_limit, handler, referred_on=date(limit.year + 1, 6, 1))
    assert result(referral, "six_or_three_years") == "pass", example

    day_after = date.fromordinal(limit.toordinal() + 1)
    late = make_complaint(
        firm=firm,
        received_at=london(day_after.year, day_after.month, day_after.day, 10),
        event_date=event,
        awareness_date=awareness,
    )
    referral = log(late, handler, referred_on=date(limit.year + 1, 6, 1))
    assert result(referral, "six_or_three_years") == "fail", example


def test_disp_2_8_2r_2_unknown_event_date_is_unknown(firm, handler):
    c = make_complaint(firm=firm, received_at=london(2027, 11, 1, 10))
    referral = log(c, handler, referred_on=date(2028, 1, 10))
    assert result(referral, "six_or_three_years") == "unknown"
    assert result(referral, "commencement") == "unknown"
    assert referral.jurisdiction_result in ("unknown", "fail")


# --- CP26/4 para 3.24: acts on or after commencement (E32) ---------------------------------


@pytest.mark.parametrize(
    ("act", "expected"), [(date(2027, 10, 22), "fail"), (date(2027, 10, 25), "pass")]
)
def test_cp26_4_para_3_24_e32_act_before_commencement_is_outside_the_cj(
    firm, handler, settings, act, expected
):
    settings.CRYPTO_COMMENCEMENT_DATE = date(2027, 10, 25)
    c = make_complaint(
        firm=firm, received_at=london(2027, 11, 1, 10), event_date=act, awareness_date=act
    )
    referral = log(c, handler, referred_on=date(2028, 1, 10))
    assert result(referral, "commencement") == expected


def test_commencement_is_a_setting(firm, handler, settings):
    settings.CRYPTO_COMMENCEMENT_DATE = date(2026, 4, 6)
    c = make_complaint(firm=firm, received_at=london(2026, 11, 1, 10), event_date=date(2026, 5, 1))
    assert result(log(c, handler, referred_on=date(2026, 12, 30)), "commencement") == "pass"


def test_commencement_does_not_limit_non_crypto_activity(handler):
    firm = FirmFactory(activities=[Activity.OTHER])
    c = make_complaint(
        firm=firm,
        received_at=london(2026, 11, 1, 10),
        activity=Activity.OTHER,
        event_date=date(2026, 5, 1),
    )
    assert result(log(c, handler, referred_on=date(2026, 12, 30)), "commencement") == "pass"


# --- DISP 2.7.3R: eligible complainant (E40–E43) -------------------------------------------


@pytest.mark.parametrize(
    ("example", "person", "expected", "rule"),
    [
        (
            "E40",
            dict(
                complainant_type="small_business",
                turnover_gbp=Decimal("6400000"),
                employees=60,
                balance_sheet_gbp=Decimal("4900000"),
            ),
            "pass",
            "DISP 2.7.3R(6)",
        ),
        (
            "E41",
            dict(
                complainant_type="small_business",
                turnover_gbp=Decimal("6500000"),
                employees=20,
                balance_sheet_gbp=Decimal("1000000"),
                turnover_eur=Decimal("7500000"),
                balance_sheet_eur=Decimal("3000000"),
            ),
            "fail",
            "DISP 2.7.3R(6)",
        ),
        (
            "E42 charity",
            dict(complainant_type="charity", annual_income_gbp=Decimal("6500000")),
            "fail",
            "DISP 2.7.3R(3)",
        ),
        (
            "E42 trust",
            dict(complainant_type="trustee", net_asset_value_gbp=Decimal("4999999")),
            "pass",
            "DISP 2.7.3R(4)",
        ),
        (
            "E43",
            dict(
                complainant_type="micro_enterprise",
                employees=9,
                turnover_eur=Decimal("2000000"),
                balance_sheet_eur=Decimal("3000000"),
            ),
            "pass",
            "DISP 2.7.3R(2)",
        ),
        ("consumer", dict(complainant_type="consumer"), "pass", "DISP 2.7.3R(1)"),
        ("large business", dict(complainant_type="other"), "fail", "DISP 2.7.3R"),
    ],
)
def test_disp_2_7_3r_eligible_complainant(firm, handler, example, person, expected, rule):
    complainant = ComplainantFactory(firm=firm, **person)
    c = make_complaint(
        firm=firm,
        received_at=london(2027, 11, 1, 10),
        complainant=complainant,
        event_date=date(2027, 10, 26),
    )
    line = lines(log(c, handler, referred_on=date(2028, 1, 10)))["eligible_complainant"]
    assert (line["result"], line["rule"]) == (expected, rule), example


def test_disp_2_7_5g_missing_figures_treated_as_eligible(firm, handler):
    complainant = ComplainantFactory(firm=firm, complainant_type="charity")
    c = make_complaint(firm=firm, received_at=london(2027, 11, 1, 10), complainant=complainant)
    line = lines(log(c, handler, referred_on=date(2028, 1, 10)))["eligible_complainant"]
    assert (line["result"], line["rule"]) == ("pass", "DISP 2.7.5G")


# --- DISP 2.7.6R: relationship, with the CP26/4 stablecoin-holder limbs ---------------------


def test_disp_2_7_6r_1_d_stablecoin_holder_needs_the_firm_to_issue_it(handler):
    issuer = FirmFactory(activities=[Activity.ISSUING_STABLECOIN])
    broker = FirmFactory(activities=[Activity.OPERATING_CATP])
    for firm, expected in ((issuer, "pass"), (broker, "fail")):
        c = make_complaint(
            firm=firm,
            received_at=london(2027, 11, 1, 10),
            activity=firm.activities.first().activity,
            relationship=Relationship.STABLECOIN_HOLDER,
        )
        line = lines(log(c, handler, referred_on=date(2028, 1, 10)))["relationship"]
        assert line["result"] == expected
        assert line["rule"].startswith("DISP 2.7.6R(1)(d)")


def test_disp_2_7_6r_unlisted_relationship_is_unknown(firm, handler):
    c = make_complaint(
        firm=firm, received_at=london(2027, 11, 1, 10), relationship=Relationship.OTHER
    )
    assert result(log(c, handler, referred_on=date(2028, 1, 10)), "relationship") == "unknown"


# --- DISP 2.6 / CP26/4 paras 3.26–3.27: UK establishment -----------------------------------


def test_cp26_4_para_3_27_no_fos_access_for_non_uk_establishment(firm, handler):
    """DISP 2.6.1R: the FOS covers activities carried on from a UK establishment."""
    FirmActivity.objects.filter(firm=firm, activity=Activity.OPERATING_CATP).update(
        from_uk_establishment=False
    )
    c = make_complaint(firm=firm, received_at=london(2027, 11, 1, 10))
    referral = log(c, handler, referred_on=date(2028, 1, 10))
    assert result(referral, "uk_establishment") == "fail"
    assert referral.jurisdiction_result == "fail"


def test_activity_the_firm_does_not_record_is_unknown(firm, handler):
    c = make_complaint(firm=firm, received_at=london(2027, 11, 1, 10), activity=Activity.STAKING)
    assert result(log(c, handler, referred_on=date(2028, 1, 10)), "uk_establishment") == "unknown"


# --- DISP 2.8.1R: the firm had its eight weeks or sent a final response (E16) ---------------


def test_disp_2_8_1r_2_e16_eight_weeks_elapsed(firm, handler):
    c = make_complaint(firm=firm, received_at=london(2026, 4, 13, 10))
    assert c.fos_referral_open_from == date(2026, 6, 9)
    early = log(c, handler, referred_on=date(2026, 6, 8))
    line = lines(early)["firm_had_its_time"]
    assert line["result"] == "fail" and "DISP 3.2.2R" in line["rule"]
    services.STAGE_SERVICES["end"](
        referral_id=early.pk,
        actor=handler,
        now=at(date(2026, 6, 8)),
        on=date(2026, 6, 8),
        kind="withdrawn",
    )
    assert result(log(c, handler, referred_on=date(2026, 6, 9)), "firm_had_its_time") == "pass"


def test_disp_2_8_1r_1_final_response_opens_the_fos_early(firm, handler):
    c = responded_complaint(
        firm=firm, actor=handler, received=london(2027, 11, 1, 10), response_after_days=10
    )
    line = lines(log(c, handler, referred_on=date(2027, 11, 12)))["firm_had_its_time"]
    assert (line["result"], line["rule"]) == ("pass", "DISP 2.8.1R(1)")


def test_all_lines_present_with_rules_and_an_overall_pass(firm, handler):
    c = responded_complaint(firm=firm, actor=handler, received=london(2027, 11, 1, 10))
    referral = log(c, handler, referred_on=date(2028, 1, 10))
    assert list(lines(referral)) == [
        "uk_establishment",
        "commencement",
        "eligible_complainant",
        "relationship",
        "firm_had_its_time",
        "six_months",
        "six_or_three_years",
        "consent",
    ]
    assert all(line["rule"] and line["explanation"] for line in referral.checklist)
    assert referral.jurisdiction_result == "pass"
    assert referral.checklist_computed_at is not None


def test_checklist_is_recomputed_with_history(firm, handler):
    complainant = ComplainantFactory(
        firm=firm, complainant_type="charity", annual_income_gbp=Decimal("7000000")
    )
    c = responded_complaint(
        firm=firm, actor=handler, received=london(2027, 11, 1, 10), complainant=complainant
    )
    referral = log(c, handler, referred_on=date(2028, 1, 10))
    assert result(referral, "eligible_complainant") == "fail"
    complainant.annual_income_gbp = Decimal("1000000")
    complainant.save()
    referral = services.referral_recompute_checklist(
        referral_id=referral.pk, actor=handler, now=at(date(2028, 1, 12))
    )
    assert result(referral, "eligible_complainant") == "pass"
    assert referral.history.first().history_change_reason == "fos.recompute_checklist"
