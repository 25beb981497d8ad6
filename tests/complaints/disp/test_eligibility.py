"""DISP 2.7.3R eligible complainants: worked examples E40–E43 and every threshold edge."""

from decimal import Decimal

import pytest

from complaints.disp.eligibility import ComplainantType, assess_eligibility

M = Decimal(1_000_000)
SMALL = ComplainantType.SMALL_BUSINESS
MICRO = ComplainantType.MICRO_ENTERPRISE


def test_e40_small_business_eligible_on_balance_sheet_limb() -> None:
    """E40 (DISP 2.7.3R(6)): £6.4m turnover, 60 staff, £4.9m balance sheet is eligible."""
    result = assess_eligibility(
        complainant_type=SMALL,
        employees=60,
        turnover_gbp=Decimal("6.4") * M,
        balance_sheet_gbp=Decimal("4.9") * M,
    )
    assert (result.eligible, result.rule, result.in_doubt) == (True, "DISP 2.7.3R(6)", False)


def test_e41_turnover_exactly_6_5m_is_not_a_small_business() -> None:
    """E41 (DISP 2.7.3R(6)): the turnover test is "less than" £6.5m."""
    result = assess_eligibility(
        complainant_type=SMALL,
        employees=20,
        turnover_gbp=Decimal(6_500_000),
        balance_sheet_gbp=Decimal(1_000_000),
    )
    assert (result.eligible, result.rule, result.in_doubt) == (False, "DISP 2.7.3R(6)", False)


def test_e42_charity_at_6_5m_not_eligible_trust_below_5m_eligible() -> None:
    """E42 (DISP 2.7.3R(3)–(4)): charity income £6.5m fails; trust NAV £4,999,999 passes."""
    charity = assess_eligibility(
        complainant_type=ComplainantType.CHARITY, annual_income_gbp=Decimal(6_500_000)
    )
    trust = assess_eligibility(
        complainant_type=ComplainantType.TRUSTEE, net_asset_value_gbp=Decimal(4_999_999)
    )
    assert (charity.eligible, charity.rule) == (False, "DISP 2.7.3R(3)")
    assert (trust.eligible, trust.rule) == (True, "DISP 2.7.3R(4)")


def test_e43_micro_enterprise_turnover_exactly_2m_eur() -> None:
    """E43 (DISP 2.7.3R(2)): 9 staff, €2m turnover, €3m balance sheet: "and/or", "not exceeding"."""
    result = assess_eligibility(
        complainant_type=MICRO,
        employees=9,
        turnover_eur=Decimal(2_000_000),
        balance_sheet_eur=Decimal(3_000_000),
    )
    assert (result.eligible, result.rule, result.in_doubt) == (True, "DISP 2.7.3R(2)", False)


@pytest.mark.parametrize(
    ("employees", "turnover_eur", "balance_sheet_eur", "micro"),
    [
        pytest.param(9, 2_000_000, 9_000_000, True, id="micro-turnover-at-2m-eur"),
        pytest.param(9, 2_000_001, 2_000_001, False, id="micro-both-one-euro-over"),
        pytest.param(9, 9_000_000, 2_000_000, True, id="micro-balance-sheet-at-2m-eur"),
        pytest.param(10, 100_000, 100_000, False, id="micro-10-persons-is-not-fewer-than-10"),
    ],
)
def test_micro_enterprise_thresholds(
    employees: int, turnover_eur: int, balance_sheet_eur: int, micro: bool
) -> None:
    """DISP 2.7.3R(2): fewer than 10 persons; turnover and/or balance sheet not exceeding €2m.

    The GBP figures are too large for a small business, so eligibility equals the micro test.
    """
    result = assess_eligibility(
        complainant_type=MICRO,
        employees=employees,
        turnover_eur=Decimal(turnover_eur),
        balance_sheet_eur=Decimal(balance_sheet_eur),
        turnover_gbp=Decimal(10_000_000),
        balance_sheet_gbp=Decimal(10_000_000),
    )
    assert (result.eligible, result.in_doubt) == (micro, False)
    assert result.rule == ("DISP 2.7.3R(2)" if micro else "DISP 2.7.3R(6)")


@pytest.mark.parametrize(
    ("employees", "turnover_gbp", "balance_sheet_gbp", "small"),
    [
        pytest.param(60, 6_499_999, 4_999_999, True, id="small-turnover-one-below-6.5m"),
        pytest.param(60, 6_500_000, 4_999_999, False, id="small-turnover-at-6.5m"),
        pytest.param(60, 1_000_000, 5_000_000, False, id="small-balance-sheet-at-5m-and-60-staff"),
        pytest.param(49, 1_000_000, 5_000_000, True, id="small-49-staff-one-below-50"),
        pytest.param(50, 1_000_000, 5_000_000, False, id="small-50-staff-is-not-fewer-than-50"),
    ],
)
def test_small_business_thresholds(
    employees: int, turnover_gbp: int, balance_sheet_gbp: int, small: bool
) -> None:
    """DISP 2.7.3R(6): turnover < £6.5m and (balance sheet < £5m or fewer than 50 employees)."""
    result = assess_eligibility(
        complainant_type=SMALL,
        employees=employees,
        turnover_gbp=Decimal(turnover_gbp),
        balance_sheet_gbp=Decimal(balance_sheet_gbp),
    )
    assert (result.eligible, result.rule, result.in_doubt) == (small, "DISP 2.7.3R(6)", False)


@pytest.mark.parametrize(
    ("complainant_type", "kwargs", "eligible"),
    [
        pytest.param(
            ComplainantType.CHARITY,
            {"annual_income_gbp": 6_499_999},
            True,
            id="charity-one-below-6.5m",
        ),
        pytest.param(
            ComplainantType.CHARITY, {"annual_income_gbp": 6_500_000}, False, id="charity-at-6.5m"
        ),
        pytest.param(
            ComplainantType.TRUSTEE,
            {"net_asset_value_gbp": 4_999_999},
            True,
            id="trust-one-below-5m",
        ),
        pytest.param(
            ComplainantType.TRUSTEE, {"net_asset_value_gbp": 5_000_000}, False, id="trust-at-5m"
        ),
    ],
)
def test_charity_and_trust_thresholds(
    complainant_type: ComplainantType, kwargs: dict[str, int], eligible: bool
) -> None:
    """DISP 2.7.3R(3) charity income < £6.5m; DISP 2.7.3R(4) trust NAV < £5m."""
    figures = {key: Decimal(value) for key, value in kwargs.items()}
    result = assess_eligibility(complainant_type=complainant_type, **figures)
    assert (result.eligible, result.in_doubt) == (eligible, False)


def test_declared_small_business_that_meets_the_micro_test_is_micro() -> None:
    """DISP 2.7.3R(2)/(6): a small business is by definition not a micro-enterprise."""
    result = assess_eligibility(
        complainant_type=SMALL,
        employees=5,
        turnover_eur=Decimal(1_000_000),
        turnover_gbp=Decimal(900_000),
    )
    assert (result.eligible, result.rule) == (True, "DISP 2.7.3R(2)")


@pytest.mark.parametrize(
    ("complainant_type", "kwargs"),
    [
        pytest.param(ComplainantType.CHARITY, {}, id="charity-income-unknown"),
        pytest.param(ComplainantType.TRUSTEE, {}, id="trust-nav-unknown"),
        pytest.param(MICRO, {}, id="business-nothing-known"),
        pytest.param(MICRO, {"turnover_eur": 1_000_000}, id="micro-employees-unknown"),
        pytest.param(
            SMALL, {"employees": 20, "balance_sheet_gbp": 1_000_000}, id="small-turnover-unknown"
        ),
        pytest.param(
            SMALL,
            {"employees": 5, "turnover_gbp": 7_000_000},
            id="large-turnover-but-could-be-micro-on-balance-sheet",
        ),
    ],
)
def test_missing_figures_are_treated_as_eligible_in_doubt(
    complainant_type: ComplainantType, kwargs: dict[str, int]
) -> None:
    """DISP 2.7.5G: if in doubt about a business, charity or trust, treat it as eligible."""
    figures = {k: v if k == "employees" else Decimal(v) for k, v in kwargs.items()}
    result = assess_eligibility(complainant_type=complainant_type, **figures)
    assert (result.eligible, result.rule, result.in_doubt) == (True, "DISP 2.7.5G", True)


@pytest.mark.parametrize(
    ("complainant_type", "eligible", "rule"),
    [
        pytest.param(ComplainantType.CONSUMER, True, "DISP 2.7.3R(1)", id="consumer"),
        pytest.param(ComplainantType.GUARANTOR, True, "DISP 2.7.3R(7)", id="guarantor"),
        pytest.param(ComplainantType.OTHER, False, "DISP 2.7.3R", id="other-eg-large-business"),
    ],
)
def test_categories_without_thresholds(
    complainant_type: ComplainantType, eligible: bool, rule: str
) -> None:
    """DISP 2.7.3R(1) consumer and (7) guarantor are eligible; anyone else is not."""
    result = assess_eligibility(complainant_type=complainant_type)
    assert (result.eligible, result.rule, result.in_doubt) == (eligible, rule, False)
    assert result.reason


def test_complainant_type_accepts_stored_string() -> None:
    assert assess_eligibility(complainant_type="consumer").eligible
    with pytest.raises(ValueError):
        assess_eligibility(complainant_type="large_business")
