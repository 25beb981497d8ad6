"""FOS case fees: which of a firm's chargeable cases are free and what each other one costs.

disp-rules.md §4.2: in each FOS financial year (1 April to 31 March) the first ``free_cases``
chargeable cases are free; from the next one on the standard fee applies, reduced for a case
brought by a professional representative that is not upheld (from 1 April 2025). The precise
event that makes a case chargeable is unverified [M]: this product uses ``chargeable_on`` on
the referral, which defaults to the date the case reached investigation and can be corrected.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from .choices import FosOutcome
from .models import FosFeeSchedule, Referral


def financial_year(day: date) -> int:
    """The FOS financial year containing ``day``, named by the year it starts (1 April)."""
    return day.year if day.month >= 4 else day.year - 1


def fy_label(year: int) -> str:
    return f"{year}/{(year + 1) % 100:02d}"


@dataclass
class LedgerLine:
    referral: Referral
    financial_year: int
    sequence: int
    free: bool
    fee: Decimal
    basis: str
    provisional: bool
    schedule_confirmed: bool

    @property
    def year_label(self) -> str:
        return fy_label(self.financial_year)


@dataclass
class LedgerYear:
    financial_year: int
    schedule: FosFeeSchedule | None
    schedule_note: str
    lines: list[LedgerLine] = field(default_factory=list)

    @property
    def label(self) -> str:
        return fy_label(self.financial_year)

    @property
    def cases(self) -> int:
        return len(self.lines)

    @property
    def free_cases_used(self) -> int:
        return sum(1 for line in self.lines if line.free)

    @property
    def total(self) -> Decimal:
        return sum((line.fee for line in self.lines), Decimal("0"))

    @property
    def provisional(self) -> bool:
        return any(line.provisional for line in self.lines)


def _schedule_for(year: int, schedules: list[FosFeeSchedule]) -> tuple[FosFeeSchedule | None, str]:
    exact = next((s for s in schedules if s.financial_year == year), None)
    if exact is not None:
        return exact, "" if exact.confirmed else f"{exact.label} figures are not confirmed."
    earlier = [s for s in schedules if s.financial_year < year]
    if not earlier:
        return None, f"No fee schedule for {fy_label(year)}: add one in the admin."
    fallback = earlier[-1]
    return fallback, (
        f"No fee schedule for {fy_label(year)}: estimated with {fallback.label} figures. "
        "Add the year's schedule in the admin."
    )


def _fee(referral: Referral, schedule: FosFeeSchedule) -> tuple[Decimal, str, bool]:
    reduced = schedule.prof_rep_not_upheld_fee
    if referral.is_prof_rep and reduced is not None:
        if referral.fos_outcome == FosOutcome.NOT_UPHELD:
            return reduced, "Professional representative, not upheld: reduced fee", False
        if not referral.fos_outcome:
            return (
                schedule.standard_fee,
                f"Professional representative: £{reduced:,.0f} if not upheld",
                True,
            )
    return schedule.standard_fee, "Standard case fee", False


def build_ledger(referrals: list[Referral], schedules: list[FosFeeSchedule]) -> list[LedgerYear]:
    """Order one firm's chargeable cases by chargeable date and price each one."""
    years: dict[int, LedgerYear] = {}
    chargeable = [(r.chargeable_on, r) for r in referrals if r.chargeable_on is not None]
    for chargeable_on, referral in sorted(chargeable, key=lambda p: (p[0], p[1].pk)):
        year = financial_year(chargeable_on)
        if year not in years:
            schedule, note = _schedule_for(year, schedules)
            years[year] = LedgerYear(year, schedule, note)
        entry = years[year]
        sequence = entry.cases + 1
        schedule = entry.schedule
        if schedule is None:
            line = LedgerLine(
                referral, year, sequence, False, Decimal("0"), "No schedule", True, False
            )
        elif sequence <= schedule.free_cases:
            line = LedgerLine(
                referral,
                year,
                sequence,
                True,
                Decimal("0"),
                f"Free case {sequence} of {schedule.free_cases}",
                False,
                schedule.confirmed and schedule.financial_year == year,
            )
        else:
            fee, basis, provisional = _fee(referral, schedule)
            line = LedgerLine(
                referral,
                year,
                sequence,
                False,
                fee,
                basis,
                provisional or schedule.financial_year != year or not schedule.confirmed,
                schedule.confirmed and schedule.financial_year == year,
            )
        entry.lines.append(line)
    return [years[y] for y in sorted(years)]


def firm_ledger(firm_id: int) -> list[LedgerYear]:
    """The fee ledger of one firm in two queries."""
    referrals = list(
        Referral.objects.filter(firm_id=firm_id, chargeable_on__isnull=False).select_related(
            "complaint"
        )
    )
    return build_ledger(referrals, list(FosFeeSchedule.objects.order_by("financial_year")))


def fee_for(referral: Referral) -> LedgerLine | None:
    """This referral's line in its firm's ledger (None if not chargeable)."""
    if referral.chargeable_on is None:
        return None
    for year in firm_ledger(referral.firm_id):
        for line in year.lines:
            if line.referral.pk == referral.pk:
                return line
    return None
