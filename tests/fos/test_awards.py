"""Award limits (DISP 3.7.4R, E50), recommendations above the limit (FSMA s.229(5)), interest
bases (E51) and the compliance flag."""

from datetime import date, timedelta
from decimal import Decimal

import pytest

from common.errors import ConflictError, TransitionRefused
from fos import services
from fos.awards import award_limit_for, interest_basis_for, late_payment_interest_basis
from fos.choices import InterestBasis, Stage
from fos.errors import FosErrorCode
from fos.models import FosAwardLimit
from fos.selectors import fos_mi, overdue_compliance
from tests.factories import london
from tests.fos.helpers import act, at, log, responded_complaint

pytestmark = pytest.mark.django_db


def test_disp_3_7_4r_e50_limit_for_a_referral_on_2024_06_01():
    limit = award_limit_for(date(2024, 6, 1))
    assert limit.amount == Decimal("430000")
    assert limit.verified is True
    assert limit.effective_from == date(2024, 4, 1)


@pytest.mark.parametrize(
    ("referred", "act_on", "amount", "verified"),
    [
        (date(2019, 3, 31), None, "150000", True),
        (date(2019, 4, 1), None, "350000", True),
        (date(2023, 3, 31), None, "375000", True),
        (date(2024, 6, 1), date(2018, 1, 1), "195000", True),
        (date(2025, 4, 1), None, "445000", False),
        (date(2026, 4, 1), None, "455000", False),
        (date(2029, 1, 1), None, "455000", False),
    ],
)
def test_award_limit_table_is_keyed_by_referral_date(referred, act_on, amount, verified):
    limit = award_limit_for(referred, act_on)
    assert (limit.amount, limit.verified) == (Decimal(amount), verified)


def test_seeded_unverified_rows_say_so():
    unverified = FosAwardLimit.objects.filter(verified=False)
    assert set(unverified.values_list("effective_from", flat=True)) == {
        date(2025, 4, 1),
        date(2026, 4, 1),
    }
    assert all("UNVERIFIED" in row.note for row in unverified)


@pytest.mark.parametrize(
    ("referred", "basis"),
    [
        (date(2025, 12, 20), InterestBasis.EIGHT_PC_SIMPLE),
        (date(2025, 12, 31), InterestBasis.EIGHT_PC_SIMPLE),
        (date(2026, 1, 1), InterestBasis.BOE_BASE_AVG_PLUS_1),
        (date(2026, 1, 5), InterestBasis.BOE_BASE_AVG_PLUS_1),
    ],
)
def test_e51_interest_basis_by_referral_date(referred, basis):
    assert interest_basis_for(referred) == basis


def test_e51_late_payment_is_8pc_simple():
    assert late_payment_interest_basis() == InterestBasis.EIGHT_PC_SIMPLE


def test_fsma_s229_5_award_above_the_limit_is_a_recommendation(upheld_view, handler):
    referral = services.referral_record_award(
        referral_id=upheld_view.pk,
        actor=handler,
        now=at(date(2028, 1, 20)),
        amount=Decimal("500000.00"),
        directions="Restore the staked SOL.",
    )
    assert referral.award_limit == Decimal("455000")
    assert referral.award_limit_verified is False
    assert referral.award_recommended_excess == Decimal("45000.00")
    assert referral.interest_basis == InterestBasis.BOE_BASE_AVG_PLUS_1
    assert referral.directions == "Restore the staked SOL."
    assert referral.history.first().history_change_reason == "fos.record_award"


def test_award_within_the_limit_has_no_recommendation(upheld_view, handler):
    referral = services.referral_record_award(
        referral_id=upheld_view.pk,
        actor=handler,
        now=at(date(2028, 1, 20)),
        amount="1200.50",
        interest_basis="8pc_simple",
        interest_from=date(2027, 10, 30),
    )
    assert referral.award_recommended_excess is None
    assert referral.interest_basis == "8pc_simple"


def test_award_refused_before_a_view_or_when_not_upheld(firm, handler):
    c = responded_complaint(firm=firm, actor=handler, received=london(2027, 11, 1, 10))
    referral = log(c, handler, referred_on=date(2028, 1, 10))
    with pytest.raises(ConflictError) as exc:
        services.referral_record_award(
            referral_id=referral.pk, actor=handler, now=at(date(2028, 1, 11)), amount="100"
        )
    assert exc.value.code == FosErrorCode.AWARD_NOT_ALLOWED
    referral = act(referral, "start_investigation", on=date(2028, 1, 11), actor=handler)
    referral = act(
        referral, "issue_view", on=date(2028, 1, 12), actor=handler, outcome="not_upheld"
    )
    with pytest.raises(TransitionRefused):
        services.referral_record_award(
            referral_id=referral.pk, actor=handler, now=at(date(2028, 1, 13)), amount="100"
        )


def test_accepted_award_not_complied_with_within_target_is_flagged(
    upheld_view, handler, firm, settings
):
    services.referral_record_award(
        referral_id=upheld_view.pk, actor=handler, now=at(date(2028, 1, 20)), amount="900"
    )
    accepted = act(upheld_view, "accept_view", on=date(2028, 2, 1), actor=handler)
    assert accepted.compliance_due_on == date(2028, 2, 29)  # 28 days by default
    assert not accepted.compliance_overdue(date(2028, 2, 29))
    assert accepted.compliance_overdue(date(2028, 3, 1))
    assert list(overdue_compliance([firm.pk], date(2028, 3, 1))) == [accepted]
    assert fos_mi([firm.pk], date(2028, 3, 1)).overdue_compliance == 1
    complied = act(
        accepted,
        "record_compliance",
        on=date(2028, 3, 2),
        actor=handler,
        amount_paid=Decimal("900"),
    )
    assert complied.stage == Stage.COMPLIED
    assert not list(overdue_compliance([firm.pk], date(2028, 3, 5)))


def test_compliance_target_is_a_setting(upheld_view, handler, settings):
    settings.FOS_AWARD_COMPLIANCE_TARGET_DAYS = 14
    services.referral_record_award(
        referral_id=upheld_view.pk, actor=handler, now=at(date(2028, 1, 20)), amount="900"
    )
    accepted = act(upheld_view, "accept_view", on=date(2028, 2, 1), actor=handler)
    assert accepted.compliance_due_on == date(2028, 2, 1) + timedelta(days=14)
