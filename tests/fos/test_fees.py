"""FOS case fees (disp-rules.md §4.2, E49): free cases per financial year, the fourth charged,
a new year starting again, and the reduced fee for a professional representative's case that is
not upheld."""

from datetime import date
from decimal import Decimal

import pytest

from common.errors import ValidationFailed
from fos import services
from fos.fees import financial_year, firm_ledger
from fos.models import FosFeeSchedule
from tests.factories import london
from tests.fos.helpers import act, at, log, responded_complaint

pytestmark = pytest.mark.django_db


def _chargeable(firm, handler, on: date, *, prof_rep=False, outcome=None):
    c = responded_complaint(firm=firm, actor=handler, received=london(2025, 4, 7, 10))
    referral = log(
        c,
        handler,
        referred_on=date(2025, 5, 1),
        referred_by="professional_representative" if prof_rep else "complainant",
        representative_name="ClaimRight Ltd" if prof_rep else "",
    )
    if outcome:
        referral = act(referral, "start_investigation", on=date(2025, 5, 2), actor=handler)
        referral = act(referral, "issue_view", on=date(2025, 5, 3), actor=handler, outcome=outcome)
    return services.referral_set_chargeable_date(
        referral_id=referral.pk,
        actor=handler,
        now=at(max(on, date(2025, 5, 3))),
        chargeable_on=on,
        note="FOS invoice",
    )


@pytest.mark.parametrize(
    ("day", "year"),
    [
        (date(2025, 3, 31), 2024),
        (date(2025, 4, 1), 2025),
        (date(2026, 3, 31), 2025),
        (date(2026, 4, 1), 2026),
    ],
)
def test_fos_financial_year_starts_on_1_april(day, year):
    assert financial_year(day) == year


def test_e49_fee_ledger_across_a_financial_year_boundary(firm, handler):
    first = [
        _chargeable(firm, handler, d)
        for d in (date(2025, 5, 1), date(2025, 6, 1), date(2025, 7, 1), date(2025, 8, 1))
    ]
    reduced = _chargeable(firm, handler, date(2025, 9, 1), prof_rep=True, outcome="not_upheld")
    pending = _chargeable(firm, handler, date(2026, 3, 31), prof_rep=True)
    new_year = [_chargeable(firm, handler, d) for d in (date(2026, 4, 1), date(2026, 4, 2))]

    years = firm_ledger(firm.pk)
    assert [y.label for y in years] == ["2025/26", "2026/27"]
    fy25, fy26 = years
    fees = {line.referral.pk: line for line in fy25.lines}
    # 1st-3rd: free; 4th: £650; professional representative, not upheld: £475.
    assert [fees[r.pk].fee for r in first] == [Decimal("0")] * 3 + [Decimal("650")]
    assert [fees[r.pk].free for r in first] == [True, True, True, False]
    assert fees[reduced.pk].fee == Decimal("475")
    # Outcome not known yet: standard fee, flagged as provisional.
    assert fees[pending.pk].fee == Decimal("650") and fees[pending.pk].provisional
    assert fy25.total == Decimal("1775")
    # A new financial year starts the free allowance again (2026/27 is only proposed).
    assert [line.referral.pk for line in fy26.lines] == [r.pk for r in new_year]
    assert [line.free for line in fy26.lines] == [True, True]
    assert fy26.schedule.financial_year == 2026 and not fy26.schedule.confirmed
    assert [line.sequence for line in fy26.lines] == [1, 2]


def test_fourth_case_in_2026_27_uses_the_proposed_fee_flagged_provisional(firm, handler):
    for d in (date(2026, 4, 1), date(2026, 5, 1), date(2026, 6, 1), date(2026, 7, 1)):
        _chargeable(firm, handler, d)
    (fy,) = firm_ledger(firm.pk)
    fourth = fy.lines[3]
    assert (fourth.fee, fourth.provisional, fourth.schedule_confirmed) == (
        Decimal("680"),
        True,
        False,
    )
    assert "not confirmed" in fy.schedule_note


def test_year_without_a_schedule_uses_the_latest_and_says_so(firm, handler):
    _chargeable(firm, handler, date(2028, 5, 1))
    (fy,) = firm_ledger(firm.pk)
    assert fy.label == "2028/29" and fy.schedule.financial_year == 2026
    assert "No fee schedule for 2028/29" in fy.schedule_note


def test_schedule_is_editable_data(firm, handler):
    FosFeeSchedule.objects.filter(financial_year=2025).update(free_cases=1)
    lines = [_chargeable(firm, handler, d) for d in (date(2025, 5, 1), date(2025, 6, 1))]
    (fy,) = firm_ledger(firm.pk)
    assert [line.free for line in fy.lines] == [True, False]
    assert fy.lines[1].referral.pk == lines[1].pk


def test_free_allowance_is_per_firm(firm, handler):
    from tests.factories import FirmFactory, MembershipFactory

    other = FirmFactory()
    other_handler = MembershipFactory(firm=other).user
    for d in (date(2025, 5, 1), date(2025, 6, 1), date(2025, 7, 1)):
        _chargeable(other, other_handler, d)
    _chargeable(firm, handler, date(2025, 8, 1))
    (fy,) = firm_ledger(firm.pk)
    assert fy.lines[0].free


def test_seeded_fee_schedules():
    rows = {s.financial_year: s for s in FosFeeSchedule.objects.all()}
    assert rows[2022].standard_fee == Decimal("750")
    assert (rows[2024].standard_fee, rows[2025].standard_fee) == (Decimal("650"), Decimal("650"))
    assert rows[2025].prof_rep_not_upheld_fee == Decimal("475")
    assert all(rows[y].free_cases == 3 for y in rows)
    assert rows[2026].standard_fee == Decimal("680") and not rows[2026].confirmed


def test_chargeable_date_needs_a_source_and_not_before_referral(firm, handler):
    c = responded_complaint(firm=firm, actor=handler, received=london(2025, 4, 7, 10))
    referral = log(c, handler, referred_on=date(2025, 5, 1))
    with pytest.raises(ValidationFailed) as exc:
        services.referral_set_chargeable_date(
            referral_id=referral.pk,
            actor=handler,
            now=at(date(2025, 6, 1)),
            chargeable_on=date(2025, 6, 1),
            note=" ",
        )
    assert "note" in exc.value.fields
    with pytest.raises(ValidationFailed) as exc:
        services.referral_set_chargeable_date(
            referral_id=referral.pk,
            actor=handler,
            now=at(date(2025, 6, 1)),
            chargeable_on=date(2025, 4, 30),
            note="invoice",
        )
    assert "chargeable_on" in exc.value.fields
