"""The FOS jurisdiction checklist (disp-rules.md §3): can the Ombudsman consider this complaint?

``assess`` is pure: it takes the facts as plain values and returns one line per test with the
rule, pass/fail/unknown and a one-sentence explanation. Only the FOS decides its jurisdiction;
the checklist tells the firm where to object (or consent) and why.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import asdict, dataclass
from datetime import date
from decimal import Decimal
from functools import partial

from common.dates import uk_date
from complaints.choices import Activity, Relationship
from complaints.disp.clock import received_out_of_time
from complaints.disp.eligibility import assess_eligibility
from complaints.disp.fos_access import commencement_reached

PASS, FAIL, UNKNOWN = "pass", "fail", "unknown"

# DISP 2.7.6R limbs this product records. (1)(d)/(2)(d) are the CP26/4 stablecoin limbs;
# 'other' is not listed because limbs (8)-(17) were not retrieved (disp-rules.md A20).
_RELATIONSHIP_LIMBS: dict[str, str] = {
    Relationship.CUSTOMER: "DISP 2.7.6R(1)(a)",
    Relationship.PAYMENT_SERVICE_USER: "DISP 2.7.6R(1)(b)",
    Relationship.E_MONEY_HOLDER: "DISP 2.7.6R(1)(c)",
    Relationship.STABLECOIN_HOLDER: "DISP 2.7.6R(1)(d) (CP26/4)",
    Relationship.POTENTIAL_CUSTOMER: "DISP 2.7.6R(2)(a)",
    Relationship.POTENTIAL_STABLECOIN_HOLDER: "DISP 2.7.6R(2)(d) (CP26/4)",
    Relationship.APP_FRAUD_PAYER: "DISP 2.7.6R(2B)",
    Relationship.GUARANTOR: "DISP 2.7.6R (guarantor limb)",
}
_STABLECOIN_LIMBS = {Relationship.STABLECOIN_HOLDER, Relationship.POTENTIAL_STABLECOIN_HOLDER}


@dataclass(frozen=True)
class CheckLine:
    key: str
    label: str
    rule: str
    result: str
    explanation: str

    def as_dict(self) -> dict:
        return asdict(self)


@dataclass(frozen=True)
class Facts:
    """Everything the checklist needs, read from the complaint, firm and referral."""

    referred_on: date
    activity: str
    activity_from_uk: bool | None
    firm_issues_stablecoin: bool
    event_date: date | None
    commencement: date
    complainant_type: str
    relationship: str
    arrived_on: date  # the London date the complaint reached the firm (not a deferred day 0)
    fos_referral_open_from: date
    response_sent_on: date | None
    fos_six_month_deadline: date | None
    time_bar_date: date | None
    consents_to_waive: bool
    employees: int | None = None
    turnover_gbp: Decimal | None = None
    turnover_eur: Decimal | None = None
    balance_sheet_gbp: Decimal | None = None
    balance_sheet_eur: Decimal | None = None
    annual_income_gbp: Decimal | None = None
    net_asset_value_gbp: Decimal | None = None
    event_date_unknown: bool = False  # the handler recorded it as unknown (not just missing)


def _establishment(f: Facts) -> CheckLine:
    line = partial(
        CheckLine,
        "uk_establishment",
        "Activity carried on from a UK establishment",
        "DISP 2.6.1R; CP26/4 paras 3.26–3.27",
    )
    if f.activity_from_uk is None:
        return line(
            UNKNOWN, "The firm's records do not list this activity; check where it was carried on."
        )
    if f.activity_from_uk:
        return line(PASS, "Carried on from a UK establishment.")
    return line(
        FAIL,
        "Not carried on from a UK establishment: no FOS access (the complainant's residence "
        "does not matter).",
    )


def _commencement(f: Facts) -> CheckLine:
    line = partial(
        CheckLine,
        "commencement",
        "Act or omission on or after the regime commencement",
        "CP26/4 para 3.24",
    )
    # The same test the letters read (complaints.disp.fos_access), so the checklist and what the
    # complainant was told agree.
    reached = commencement_reached(
        f.event_date, f.commencement, crypto_activity=f.activity in Activity.crypto()
    )
    if f.activity not in Activity.crypto():
        return line(
            PASS, "Not a regulated cryptoasset activity: the crypto go-live limit does not apply."
        )
    if reached is None or f.event_date is None:
        if f.event_date_unknown:
            return line(
                UNKNOWN,
                "The handler recorded that the date of the event complained of is unknown: "
                "the FOS decides whether it happened on or after commencement "
                f"({uk_date(f.commencement)}).",
            )
        return line(UNKNOWN, "The date of the event complained of is not recorded.")
    if reached:
        return line(
            PASS,
            f"The event ({uk_date(f.event_date)}) is on or after commencement "
            f"({uk_date(f.commencement)}).",
        )
    return line(
        FAIL,
        f"The event ({uk_date(f.event_date)}) is before commencement "
        f"({uk_date(f.commencement)}): outside the compulsory jurisdiction.",
    )


def _eligible(f: Facts) -> CheckLine:
    result = assess_eligibility(
        complainant_type=f.complainant_type,
        employees=f.employees,
        turnover_gbp=f.turnover_gbp,
        turnover_eur=f.turnover_eur,
        balance_sheet_gbp=f.balance_sheet_gbp,
        balance_sheet_eur=f.balance_sheet_eur,
        annual_income_gbp=f.annual_income_gbp,
        net_asset_value_gbp=f.net_asset_value_gbp,
    )
    return CheckLine(
        "eligible_complainant",
        "Eligible complainant",
        result.rule,
        PASS if result.eligible else FAIL,
        result.reason,
    )


def _relationship(f: Facts) -> CheckLine:
    line = partial(CheckLine, "relationship", "Relationship with the firm")
    limb = _RELATIONSHIP_LIMBS.get(f.relationship)
    if limb is None:
        return line(
            "DISP 2.7.6R",
            UNKNOWN,
            "Not one of the recorded relationship limbs; check DISP 2.7.6R(3)–(17).",
        )
    if f.relationship in _STABLECOIN_LIMBS and not f.firm_issues_stablecoin:
        return line(
            limb,
            FAIL,
            "The stablecoin-holder limb needs a UK qualifying stablecoin issued by this firm, "
            "and the firm does not record issuing one.",
        )
    return line(limb, PASS, f"{Relationship(f.relationship).label} ({limb}).")


def _firm_had_its_time(f: Facts) -> CheckLine:
    line = partial(
        CheckLine, "firm_had_its_time", "Firm sent a final response/SRC or had its eight weeks"
    )
    if f.response_sent_on is not None and f.response_sent_on <= f.referred_on:
        return line(
            "DISP 2.8.1R(1)",
            PASS,
            f"Final response or SRC sent {uk_date(f.response_sent_on)}.",
        )
    if f.referred_on >= f.fos_referral_open_from:
        return line(
            "DISP 2.8.1R(2)",
            PASS,
            f"The FOS could consider it from {uk_date(f.fos_referral_open_from)}.",
        )
    return line(
        "DISP 2.8.1R; DISP 3.2.2R",
        FAIL,
        f"Referred {uk_date(f.referred_on)}, before the firm's time ran out "
        f"({uk_date(f.fos_referral_open_from)}) and with no final response: the FOS will refer "
        "it back to the firm unless the firm consents (DISP 2.8.1R(4)).",
    )


def _late(f: Facts, line: Callable[[str, str], CheckLine], explanation: str) -> CheckLine:
    """A time limit missed: the line fails unless the firm consented."""
    if f.consents_to_waive:
        return line(
            PASS,
            f"{explanation} The firm has consented to the FOS considering it (DISP 2.8.2R(5)).",
        )
    return line(
        FAIL,
        f"{explanation} Only exceptional circumstances (DISP 2.8.2R(3)) or the firm's consent "
        "help.",
    )


def _six_months(f: Facts) -> CheckLine:
    line = partial(
        CheckLine,
        "six_months",
        "Within six months of the final response",
        "DISP 2.8.2R(1); DISP 2.8.3G",
    )
    if f.fos_six_month_deadline is None:
        return line(
            PASS, "Not triggered: no final response or SRC with the six-month wording was sent."
        )
    if f.referred_on <= f.fos_six_month_deadline:
        return line(
            PASS,
            f"Referred {uk_date(f.referred_on)}; last in-time day "
            f"{uk_date(f.fos_six_month_deadline)}.",
        )
    return _late(
        f,
        line,
        f"Referred {uk_date(f.referred_on)}, after the last in-time day "
        f"{uk_date(f.fos_six_month_deadline)}.",
    )


def _six_or_three_years(f: Facts) -> CheckLine:
    line = partial(
        CheckLine,
        "six_or_three_years",
        "Within six years of the event or three years of awareness",
        "DISP 2.8.2R(2)",
    )
    if f.time_bar_date is None:
        return line(UNKNOWN, "The date of the event complained of is not recorded.")
    # The complaint is on record with the firm: in time if it reached the firm in time, on the
    # date it arrived, not the day 0 a legacy after-hours option defers the clocks to.
    if not received_out_of_time(f.arrived_on, f.time_bar_date):
        return line(
            PASS,
            f"Complained to the firm on {uk_date(f.arrived_on)} (on record), within the "
            f"limit of {uk_date(f.time_bar_date)}.",
        )
    return _late(
        f,
        line,
        f"Complained on {uk_date(f.arrived_on)}, after the limit of {uk_date(f.time_bar_date)}.",
    )


def _consent(f: Facts, limits_missed: bool) -> CheckLine:
    line = partial(
        CheckLine,
        "consent",
        "Firm's consent to waive the time limits",
        "DISP 2.8.2R(5); DISP 2.8.2AR",
    )
    if f.consents_to_waive:
        return line(PASS, "Consent given; it cannot be withdrawn (DISP 2.8.2AR).")
    if limits_missed:
        return line(FAIL, "A time limit has expired and the firm has not consented.")
    return line(PASS, "Not needed: the referral is within the time limits.")


def assess(f: Facts) -> list[CheckLine]:
    six_months = _six_months(f)
    years = _six_or_three_years(f)
    limits_missed = (
        f.fos_six_month_deadline is not None and f.referred_on > f.fos_six_month_deadline
    ) or received_out_of_time(f.arrived_on, f.time_bar_date)
    return [
        _establishment(f),
        _commencement(f),
        _eligible(f),
        _relationship(f),
        _firm_had_its_time(f),
        six_months,
        years,
        _consent(f, limits_missed),
    ]


def overall(lines: list[CheckLine] | list[dict]) -> str:
    """fail if any line fails, unknown if any is unknown, else pass."""
    results = [line["result"] if isinstance(line, dict) else line.result for line in lines]
    if FAIL in results:
        return FAIL
    if UNKNOWN in results:
        return UNKNOWN
    return PASS
