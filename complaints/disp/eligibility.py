"""DISP 2.7.3R eligible-complainant tests (disp-rules.md §1.3).

Thresholds are tested at the time the complaint is referred to the respondent; the caller supplies
figures as at that time. Every comparison is strict ("less than") except the micro-enterprise
€2 million test, which is "does not exceed". DISP 2.7.5G: a respondent in doubt about a business,
charity or trust should treat it as eligible, so missing figures give ``in_doubt=True``.

The declared business type is only a starting point: a firm that declares itself a small business
but meets the micro-enterprise test is eligible under DISP 2.7.3R(2), and vice versa.
"""

from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum

MICRO_EMPLOYEES_FEWER_THAN = 10
"""DISP 2.7.3R(2), Recommendation 2003/361: employs fewer than 10 persons."""
MICRO_EUR_NOT_EXCEEDING = Decimal("2000000")
"""DISP 2.7.3R(2): annual turnover and/or balance sheet total does not exceed €2 million."""
SMALL_TURNOVER_GBP_LESS_THAN = Decimal("6500000")
"""DISP 2.7.3R(6): annual turnover less than £6.5 million."""
SMALL_BALANCE_SHEET_GBP_LESS_THAN = Decimal("5000000")
"""DISP 2.7.3R(6): balance sheet total less than £5 million (or fewer than 50 employees)."""
SMALL_EMPLOYEES_FEWER_THAN = 50
"""DISP 2.7.3R(6): fewer than 50 employees (or balance sheet below £5 million)."""
CHARITY_INCOME_GBP_LESS_THAN = Decimal("6500000")
"""DISP 2.7.3R(3): charity with annual income less than £6.5 million."""
TRUST_NAV_GBP_LESS_THAN = Decimal("5000000")
"""DISP 2.7.3R(4): trustee of a trust with net asset value less than £5 million."""


class ComplainantType(StrEnum):
    CONSUMER = "consumer"
    MICRO_ENTERPRISE = "micro_enterprise"
    SMALL_BUSINESS = "small_business"
    CHARITY = "charity"
    TRUSTEE = "trustee"
    GUARANTOR = "guarantor"
    OTHER = "other"


@dataclass(frozen=True)
class EligibilityResult:
    eligible: bool
    rule: str
    reason: str
    in_doubt: bool = False


def _doubt(what: str) -> EligibilityResult:
    return EligibilityResult(
        eligible=True,
        rule="DISP 2.7.5G",
        reason=f"Missing {what}; treated as eligible because the respondent is in doubt.",
        in_doubt=True,
    )


def _less_than(value: Decimal | int | None, limit: Decimal | int) -> bool | None:
    return None if value is None else value < limit


def _is_micro(
    employees: int | None, turnover_eur: Decimal | None, balance_sheet_eur: Decimal | None
) -> bool | None:
    """DISP 2.7.3R(2): fewer than 10 persons and turnover and/or balance sheet <= €2m.

    None when the known figures do not settle the test.
    """
    if employees is not None and employees >= MICRO_EMPLOYEES_FEWER_THAN:
        return False
    euro_figures = [f for f in (turnover_eur, balance_sheet_eur) if f is not None]
    if any(f <= MICRO_EUR_NOT_EXCEEDING for f in euro_figures):
        return True if employees is not None else None
    return False if len(euro_figures) == 2 else None


def _is_small(
    employees: int | None, turnover_gbp: Decimal | None, balance_sheet_gbp: Decimal | None
) -> bool | None:
    """DISP 2.7.3R(6), for a non-micro business: turnover < £6.5m and (balance sheet < £5m or
    fewer than 50 employees). None when the known figures do not settle the test.
    """
    turnover_ok = _less_than(turnover_gbp, SMALL_TURNOVER_GBP_LESS_THAN)
    if turnover_ok is False:
        return False
    size_limbs = (
        _less_than(balance_sheet_gbp, SMALL_BALANCE_SHEET_GBP_LESS_THAN),
        _less_than(employees, SMALL_EMPLOYEES_FEWER_THAN),
    )
    if True in size_limbs:
        return turnover_ok
    return False if None not in size_limbs else None


def _assess_business(
    employees: int | None,
    turnover_gbp: Decimal | None,
    turnover_eur: Decimal | None,
    balance_sheet_gbp: Decimal | None,
    balance_sheet_eur: Decimal | None,
) -> EligibilityResult:
    micro = _is_micro(employees, turnover_eur, balance_sheet_eur)
    if micro:
        return EligibilityResult(
            True,
            "DISP 2.7.3R(2)",
            "Micro-enterprise: fewer than 10 persons and turnover or balance sheet of at most €2m.",
        )
    small = _is_small(employees, turnover_gbp, balance_sheet_gbp)
    if small:
        # Eligible whether or not it is also micro, so an unsettled micro test is not doubt.
        return EligibilityResult(
            True,
            "DISP 2.7.3R(6)",
            "Small business: turnover below £6.5m, and balance sheet below £5m or under 50 staff.",
        )
    if micro is False and small is False:
        return EligibilityResult(
            False,
            "DISP 2.7.3R(6)",
            "Neither a micro-enterprise nor a small business at the time of referral to the firm.",
        )
    return _doubt("business size figures (employees, turnover, balance sheet)")


def _below(value: Decimal | None, limit: Decimal, rule: str, what: str) -> EligibilityResult:
    if value is None:
        return _doubt(what)
    below = value < limit
    comparison = "is below" if below else "is not below"
    return EligibilityResult(
        below, rule, f"{what.capitalize()} £{value:,} {comparison} £{limit:,}."
    )


def assess_eligibility(
    *,
    complainant_type: ComplainantType | str,
    employees: int | None = None,
    turnover_gbp: Decimal | None = None,
    turnover_eur: Decimal | None = None,
    balance_sheet_gbp: Decimal | None = None,
    balance_sheet_eur: Decimal | None = None,
    annual_income_gbp: Decimal | None = None,
    net_asset_value_gbp: Decimal | None = None,
) -> EligibilityResult:
    """DISP 2.7.3R: whether the complainant is an eligible complainant for the FOS.

    Relationship tests (DISP 2.7.6R) and the guarantor's scope (DISP 2.7.5AR) are not assessed.
    """
    match ComplainantType(complainant_type):
        case ComplainantType.CONSUMER:
            return EligibilityResult(True, "DISP 2.7.3R(1)", "Consumers are eligible complainants.")
        case ComplainantType.GUARANTOR:
            return EligibilityResult(
                True,
                "DISP 2.7.3R(7)",
                "A guarantor is eligible for complaints about the guarantee (DISP 2.7.5AR).",
            )
        case ComplainantType.CHARITY:
            return _below(
                annual_income_gbp,
                CHARITY_INCOME_GBP_LESS_THAN,
                "DISP 2.7.3R(3)",
                "charity annual income",
            )
        case ComplainantType.TRUSTEE:
            return _below(
                net_asset_value_gbp,
                TRUST_NAV_GBP_LESS_THAN,
                "DISP 2.7.3R(4)",
                "trust net asset value",
            )
        case ComplainantType.MICRO_ENTERPRISE | ComplainantType.SMALL_BUSINESS:
            return _assess_business(
                employees, turnover_gbp, turnover_eur, balance_sheet_gbp, balance_sheet_eur
            )
        case ComplainantType.OTHER:
            return EligibilityResult(
                False,
                "DISP 2.7.3R",
                "Not an eligible complainant category (e.g. a large business).",
            )
