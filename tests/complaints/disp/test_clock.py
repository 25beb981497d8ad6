"""DISP clocks against the worked examples E1–E32 of disp-rules.md §7.

Expected dates are copied from the document, never recomputed with the code under test.
"""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from complaints.disp.calendar import ENGLAND_CALENDAR, BusinessCalendar, Nation
from complaints.disp.clock import (
    Deadline,
    Regime,
    add_months_corresponding,
    compute_deadlines,
    final_response_due,
    fos_referral_open_from,
    fos_six_month_deadline,
    is_time_barred,
    on_or_after_commencement,
    psd_extended_final_response_due,
    psd_final_response_due,
    receipt_date,
    src_deadline,
    time_bar_date,
)

D = dt.date
LONDON = ZoneInfo("Europe/London")
ENGLAND = ENGLAND_CALENDAR
SCOTLAND = BusinessCalendar.for_nation(Nation.SCOTLAND)
NI = BusinessCalendar.for_nation(Nation.NORTHERN_IRELAND)


def london(y: int, m: int, d: int, hour: int = 11, minute: int = 0) -> dt.datetime:
    return dt.datetime(y, m, d, hour, minute, tzinfo=LONDON)


def src_for(received_at: dt.datetime, cal: BusinessCalendar, *, legacy: bool = False) -> dt.date:
    receipt = receipt_date(received_at, calendar=cal, defer_after_hours=legacy)
    return src_deadline(receipt, cal)


# --- DISP 1.5.1R: summary resolution window (E1–E15) -----------------------------------------

SRC_EXAMPLES = [
    pytest.param(london(2026, 4, 2, 16), ENGLAND, D(2026, 4, 9), id="E1-DISP-1.5.1R-england"),
    pytest.param(london(2026, 4, 2, 16), SCOTLAND, D(2026, 4, 8), id="E2-DISP-1.5.1R-scotland"),
    pytest.param(london(2026, 4, 2, 16), NI, D(2026, 4, 9), id="E3-DISP-1.5.1R-ni"),
    pytest.param(london(2026, 4, 2, 18), ENGLAND, D(2026, 4, 9), id="E4-DISP-1.5.1R-strict"),
    pytest.param(london(2026, 4, 4), ENGLAND, D(2026, 4, 9), id="E5-DISP-1.5.1R-england"),
    pytest.param(london(2026, 4, 4), SCOTLAND, D(2026, 4, 8), id="E5-DISP-1.5.1R-scotland"),
    pytest.param(london(2026, 5, 9), ENGLAND, D(2026, 5, 13), id="E6-DISP-1.5.1R-strict"),
    pytest.param(london(2026, 12, 24), ENGLAND, D(2026, 12, 31), id="E7-DISP-1.5.1R-england"),
    pytest.param(london(2026, 12, 24), SCOTLAND, D(2026, 12, 31), id="E7-DISP-1.5.1R-scotland"),
    pytest.param(london(2026, 12, 30), ENGLAND, D(2027, 1, 5), id="E8-DISP-1.5.1R-england"),
    pytest.param(london(2026, 12, 30), SCOTLAND, D(2027, 1, 6), id="E8-DISP-1.5.1R-scotland"),
    pytest.param(london(2025, 12, 31), ENGLAND, D(2026, 1, 6), id="E9-DISP-1.5.1R-england"),
    pytest.param(london(2025, 12, 31), SCOTLAND, D(2026, 1, 7), id="E9-DISP-1.5.1R-scotland"),
    pytest.param(london(2026, 11, 26), ENGLAND, D(2026, 12, 1), id="E10-DISP-1.5.1R-england"),
    pytest.param(london(2026, 11, 26), SCOTLAND, D(2026, 12, 2), id="E10-DISP-1.5.1R-scotland"),
    pytest.param(london(2026, 6, 12), ENGLAND, D(2026, 6, 17), id="E11-DISP-1.5.1R-england"),
    pytest.param(london(2026, 6, 12), SCOTLAND, D(2026, 6, 18), id="E11-DISP-1.5.1R-scotland"),
    pytest.param(london(2026, 3, 13), ENGLAND, D(2026, 3, 18), id="E12-DISP-1.5.1R-england"),
    pytest.param(london(2026, 3, 13), NI, D(2026, 3, 19), id="E12-DISP-1.5.1R-ni"),
    pytest.param(london(2026, 7, 9), ENGLAND, D(2026, 7, 14), id="E13-DISP-1.5.1R-england"),
    pytest.param(london(2026, 7, 9), NI, D(2026, 7, 15), id="E13-DISP-1.5.1R-ni"),
    pytest.param(london(2026, 7, 31), ENGLAND, D(2026, 8, 5), id="E14-DISP-1.5.1R-england"),
    pytest.param(london(2026, 7, 31), SCOTLAND, D(2026, 8, 6), id="E14-DISP-1.5.1R-scotland"),
    pytest.param(london(2026, 8, 28), ENGLAND, D(2026, 9, 3), id="E15-DISP-1.5.1R-england"),
    pytest.param(london(2026, 8, 28), SCOTLAND, D(2026, 9, 2), id="E15-DISP-1.5.1R-scotland"),
]


@pytest.mark.parametrize(("received_at", "cal", "expected"), SRC_EXAMPLES)
def test_src_deadline_worked_examples(
    received_at: dt.datetime, cal: BusinessCalendar, expected: dt.date
) -> None:
    """DISP 1.5.1R: close of business on the 3rd business day after the day of receipt."""
    assert src_for(received_at, cal) == expected


LEGACY_EXAMPLES = [
    pytest.param(
        london(2026, 4, 2, 18),
        ENGLAND,
        D(2026, 4, 7),
        D(2026, 4, 10),
        id="E4-DISP-1.5.3G-legacy-after-hours",
    ),
    pytest.param(
        london(2026, 4, 4),
        ENGLAND,
        D(2026, 4, 7),
        D(2026, 4, 10),
        id="E5-DISP-1.5.3G-legacy-england",
    ),
    pytest.param(
        london(2026, 4, 4),
        SCOTLAND,
        D(2026, 4, 6),
        D(2026, 4, 9),
        id="E5-DISP-1.5.3G-legacy-scotland",
    ),
    pytest.param(
        london(2026, 5, 9),
        ENGLAND,
        D(2026, 5, 11),
        D(2026, 5, 14),
        id="E6-DISP-1.5.3G-legacy-saturday",
    ),
]


@pytest.mark.parametrize(("received_at", "cal", "treated_as", "expected"), LEGACY_EXAMPLES)
def test_src_deadline_with_legacy_after_hours_option(
    received_at: dt.datetime, cal: BusinessCalendar, treated_as: dt.date, expected: dt.date
) -> None:
    """Deleted DISP 1.5.3G (A1): after hours or non-business day counts from next business day."""
    assert receipt_date(received_at, calendar=cal, defer_after_hours=True) == treated_as
    assert src_for(received_at, cal, legacy=True) == expected


def test_e1_within_business_hours_is_not_deferred_by_legacy_option() -> None:
    """E1 (DISP 1.5.1R): 16:00 is before close of business, so the legacy option changes nothing."""
    assert src_for(london(2026, 4, 2, 16), ENGLAND, legacy=True) == D(2026, 4, 9)


def test_close_of_business_is_a_firm_setting() -> None:
    """A1: "close of business" is undefined in DISP; at or after it the legacy option defers."""
    at_close = london(2026, 4, 2, 17)
    assert receipt_date(at_close, calendar=ENGLAND, defer_after_hours=True) == D(2026, 4, 7)
    assert receipt_date(
        at_close, calendar=ENGLAND, defer_after_hours=True, close_of_business=dt.time(17, 30)
    ) == D(2026, 4, 2)


def test_receipt_date_is_the_london_date_not_the_utc_date() -> None:
    """§2.7: receipt_date is the Europe/London date; 23:30 UTC in BST is already the next day."""
    received = dt.datetime(2026, 4, 2, 23, 30, tzinfo=dt.UTC)
    assert receipt_date(received, calendar=ENGLAND) == D(2026, 4, 3)
    winter = dt.datetime(2026, 1, 15, 23, 30, tzinfo=dt.UTC)
    assert receipt_date(winter, calendar=ENGLAND) == D(2026, 1, 15)


def test_naive_received_at_is_rejected() -> None:
    with pytest.raises(ValueError):
        receipt_date(dt.datetime(2026, 4, 2, 16), calendar=ENGLAND)


# --- DISP 1.6.2R / 2.8.1R(2): eight weeks (E16–E22) ---------------------------------------------


@pytest.mark.parametrize(
    ("receipt", "due"),
    [
        pytest.param(D(2026, 4, 13), D(2026, 6, 8), id="E16-DISP-1.6.2R"),
        pytest.param(D(2026, 4, 2), D(2026, 5, 28), id="E17-DISP-1.6.2R-calendar-weeks"),
        pytest.param(D(2026, 7, 6), D(2026, 8, 31), id="E18-DISP-1.6.2R-bank-holiday-not-rolled"),
        pytest.param(D(2026, 10, 30), D(2026, 12, 25), id="E19-DISP-1.6.2R-christmas-not-rolled"),
        pytest.param(D(2026, 11, 6), D(2027, 1, 1), id="E20-DISP-1.6.2R-new-year-not-rolled"),
        pytest.param(D(2027, 11, 1), D(2027, 12, 27), id="E21-DISP-1.6.2R-stablecoin-holder"),
        pytest.param(D(2027, 10, 25), D(2027, 12, 20), id="E22-DISP-1.6.2R-first-day-of-regime"),
    ],
)
def test_final_response_due_eight_weeks(receipt: dt.date, due: dt.date) -> None:
    """DISP 1.6.2R: by the end of eight weeks after receipt (D+56), never rolled (A4)."""
    assert final_response_due(receipt) == due


def test_e18_e19_e20_e21_due_dates_fall_on_english_non_business_days() -> None:
    """A4: these due dates are bank holidays in England and stay where they are."""
    for due in (D(2026, 8, 31), D(2026, 12, 25), D(2027, 1, 1), D(2027, 12, 27)):
        assert not ENGLAND.is_business_day(due)


def test_final_response_day_count_setting_for_d_plus_55_reading() -> None:
    """A4: firms counting the day of receipt as day 1 use D+55 (E16 received Mon 13 Apr 2026)."""
    assert final_response_due(D(2026, 4, 13), day_count=55) == D(2026, 6, 7)


def test_e16_fos_may_consider_from_day_57() -> None:
    """E16 (DISP 2.8.1R(2), A5): no final response or SRC sent, FOS may consider from D+57."""
    assert fos_referral_open_from(D(2026, 4, 13), regime=Regime.STANDARD, calendar=ENGLAND) == D(
        2026, 6, 9
    )


def test_e21_stablecoin_complaint_full_deadlines_use_8_week_regime() -> None:
    """E21 (DISP 1.6.2R, not DISP 1.6.2AR): a stablecoin is not e-money."""
    deadlines = compute_deadlines(received_at=london(2027, 11, 1), calendar=ENGLAND)
    assert deadlines.regime is Regime.STANDARD
    assert deadlines.final_response.date == D(2027, 12, 27)
    assert deadlines.final_response.rule == "DISP 1.6.2R"
    assert deadlines.extended_final_response is None


# --- DISP 1.6.2AR: PSD/EMD 15/35 business days (E23–E24) -----------------------------------------


@pytest.mark.parametrize(
    ("receipt", "cal", "due_15", "due_35"),
    [
        pytest.param(
            D(2026, 4, 13), ENGLAND, D(2026, 5, 5), D(2026, 6, 3), id="E23-DISP-1.6.2AR-england"
        ),
        pytest.param(
            D(2026, 4, 13), SCOTLAND, D(2026, 5, 5), D(2026, 6, 3), id="E23-DISP-1.6.2AR-scotland"
        ),
        pytest.param(
            D(2026, 12, 17), ENGLAND, D(2027, 1, 12), D(2027, 2, 9), id="E24-DISP-1.6.2AR-england"
        ),
        pytest.param(
            D(2026, 12, 17),
            SCOTLAND,
            D(2027, 1, 13),
            D(2027, 2, 10),
            id="E24-DISP-1.6.2AR-scotland",
        ),
    ],
)
def test_psd_emd_final_response_due(
    receipt: dt.date, cal: BusinessCalendar, due_15: dt.date, due_35: dt.date
) -> None:
    """DISP 1.6.2AR: 15 business days, or 35 after a holding response."""
    assert psd_final_response_due(receipt, cal) == due_15
    assert psd_extended_final_response_due(receipt, cal) == due_35


def test_e23_psd_fos_access_opens_the_day_after_15_or_35_business_days() -> None:
    """E23 (DISP 2.8.1R(2A)(a)/(b)): 15th BD Tue 5 May 2026, 35th BD Wed 3 Jun 2026."""
    receipt = D(2026, 4, 13)
    assert fos_referral_open_from(receipt, regime=Regime.PSD_EMD, calendar=ENGLAND) == D(2026, 5, 6)
    assert fos_referral_open_from(
        receipt, regime=Regime.PSD_EMD, calendar=ENGLAND, holding_response_sent=True
    ) == D(2026, 6, 4)


def test_e24_psd_compute_deadlines_scotland() -> None:
    """E24 (DISP 1.6.2AR, Scotland): final response and extended dates come out of one call."""
    deadlines = compute_deadlines(
        received_at=london(2026, 12, 17), calendar=SCOTLAND, regime=Regime.PSD_EMD
    )
    assert deadlines.final_response.date == D(2027, 1, 13)
    assert deadlines.final_response.rule == "DISP 1.6.2AR(1)"
    assert deadlines.extended_final_response is not None
    assert deadlines.extended_final_response.date == D(2027, 2, 10)
    assert deadlines.fos_referral_open_from.date == D(2027, 1, 14)
    assert deadlines.fos_referral_open_from.rule == "DISP 2.8.1R(2A)(a)"


# --- DISP 2.8.2R(1) six months and corresponding dates (E25–E28) ---------------------------------


@pytest.mark.parametrize(
    ("sent", "last_day"),
    [
        pytest.param(D(2026, 4, 15), D(2026, 10, 15), id="E25-DISP-2.8.2R(1)-from-sent-date"),
        pytest.param(D(2026, 8, 31), D(2027, 2, 28), id="E26-DISP-2.8.2R(1)-no-31-feb"),
        pytest.param(D(2027, 8, 31), D(2028, 2, 29), id="E27-DISP-2.8.2R(1)-leap-year"),
    ],
)
def test_fos_six_month_deadline(sent: dt.date, last_day: dt.date) -> None:
    """DISP 2.8.2R(1): six months after the date sent, corresponding-date rule, no roll."""
    assert fos_six_month_deadline(sent, included_six_month_wording=True) == last_day


def test_e25_referral_the_day_after_is_out_of_time() -> None:
    """E25 (DISP 2.8.2R(1)): "more than six months" - Fri 16 Oct 2026 is too late."""
    last_day = fos_six_month_deadline(D(2026, 4, 15), included_six_month_wording=True)
    assert last_day == D(2026, 10, 15)
    assert D(2026, 10, 16) > last_day


def test_e28_six_month_wording_omitted_does_not_start_the_clock() -> None:
    """E28 (DISP 2.8.3G): without the six-month wording the limit is not triggered."""
    assert fos_six_month_deadline(D(2026, 4, 15), included_six_month_wording=False) is None
    assert fos_six_month_deadline(None, included_six_month_wording=True) is None
    deadlines = compute_deadlines(
        received_at=london(2026, 4, 2),
        calendar=ENGLAND,
        final_response_sent=D(2026, 4, 15),
        six_month_wording=False,
    )
    assert deadlines.fos_six_month is None


@pytest.mark.parametrize(
    ("start", "months", "expected"),
    [
        pytest.param(D(2026, 8, 31), 6, D(2027, 2, 28), id="E26-clamp-to-28-feb"),
        pytest.param(D(2027, 8, 31), 6, D(2028, 2, 29), id="E27-clamp-to-29-feb"),
        pytest.param(D(2028, 2, 29), 72, D(2034, 2, 28), id="E31-29-feb-to-28-feb"),
    ],
)
def test_add_months_corresponding(start: dt.date, months: int, expected: dt.date) -> None:
    """A6: corresponding-date rule with end-of-month clamp."""
    assert add_months_corresponding(start, months) == expected


# --- DISP 2.8.2R(2) six years / three years (E29–E31) --------------------------------------------


def test_e29_six_years_from_event_and_referral_on_the_anniversary_is_in_time() -> None:
    """E29 (DISP 2.8.2R(2); DISP 1.8): limit Tue 1 Nov 2033; Wed 2 Nov 2033 is out of time."""
    event = D(2027, 11, 1)
    assert time_bar_date(event, event) == D(2033, 11, 1)
    assert time_bar_date(event, None) == D(2033, 11, 1)
    assert not is_time_barred(D(2033, 11, 1), event, event)
    assert is_time_barred(D(2033, 11, 2), event, event)


def test_e30_three_years_from_later_awareness() -> None:
    """E30 (DISP 2.8.2R(2)(b)): awareness Sat 10 May 2031 gives the later limit Wed 10 May 2034."""
    assert time_bar_date(D(2027, 11, 1), D(2031, 5, 10)) == D(2034, 5, 10)
    assert not is_time_barred(D(2034, 5, 10), D(2027, 11, 1), D(2031, 5, 10))


def test_e31_29_february_event() -> None:
    """E31 (DISP 2.8.2R(2)): event Tue 29 Feb 2028 maps to Tue 28 Feb 2034."""
    assert time_bar_date(D(2028, 2, 29), D(2028, 2, 29)) == D(2034, 2, 28)


def test_unknown_event_date_is_never_time_barred() -> None:
    assert time_bar_date(None, D(2030, 1, 1)) is None
    assert not is_time_barred(D(2090, 1, 1), None, None)


def test_time_bar_deadline_explains_which_limb_applies() -> None:
    """E29/E30 (DISP 2.8.2R(2)): the stored basis names the 6-year or 3-year limb."""
    by_event = compute_deadlines(
        received_at=london(2028, 1, 5), calendar=ENGLAND, event_date=D(2027, 11, 1)
    ).time_bar
    by_awareness = compute_deadlines(
        received_at=london(2028, 1, 5),
        calendar=ENGLAND,
        event_date=D(2027, 11, 1),
        awareness_date=D(2031, 5, 10),
    ).time_bar
    assert by_event is not None and by_event.date == D(2033, 11, 1)
    assert by_event.basis.startswith("6 years after the event")
    assert by_awareness is not None and by_awareness.date == D(2034, 5, 10)
    assert by_awareness.basis.startswith("3 years after awareness")


# --- CP26/4 para 3.24: commencement (E32) ---------------------------------------------------------


@pytest.mark.parametrize(
    ("act", "inside"),
    [
        pytest.param(D(2027, 10, 22), False, id="E32-CP26/4-3.24-before-go-live"),
        pytest.param(D(2027, 10, 25), True, id="E32-CP26/4-3.24-on-go-live"),
    ],
)
def test_e32_act_on_or_after_commencement(act: dt.date, inside: bool) -> None:
    """E32 (CP26/4 para 3.24): CJ covers acts on or after the configured commencement date."""
    assert on_or_after_commencement(act, D(2027, 10, 25)) is inside


# --- compute_deadlines and Deadline ---------------------------------------------------------------


def test_compute_deadlines_e1_england_as_json() -> None:
    """E1 (DISP 1.5.1R), E17 (DISP 1.6.2R) and D+57 (DISP 2.8.1R(2)) for one complaint."""
    deadlines = compute_deadlines(
        received_at=london(2026, 4, 2, 16),
        calendar=ENGLAND,
        event_date=D(2026, 3, 30),
        final_response_sent=D(2026, 4, 15),
    )
    data = deadlines.as_json_dict()
    assert {
        key: data[key]
        for key in (
            "summary_resolution_deadline",
            "final_response_due",
            "extended_final_response_due",
            "fos_referral_open_from",
            "time_bar_date",
            "fos_six_month_deadline",
            "receipt_date",
            "nation",
            "regime",
            "calendar_version",
        )
    } == {
        "summary_resolution_deadline": "2026-04-09",
        "final_response_due": "2026-05-28",
        "extended_final_response_due": None,
        "fos_referral_open_from": "2026-04-15",
        "time_bar_date": "2032-03-30",
        "fos_six_month_deadline": "2026-10-15",
        "receipt_date": "2026-04-02",
        "nation": "england",
        "regime": "standard",
        "calendar_version": ENGLAND.version,
    }
    assert data["summary_resolution_close_of_business"] == "17:00"
    assert data["rules"]["summary_resolution_deadline"] == "DISP 1.5.1R"
    assert data["rules"]["fos_referral_open_from"] == "DISP 2.8.1R(1)"
    assert deadlines.summary_resolution.time == dt.time(17, 0)
    assert "Thu 2 Apr 2026" in deadlines.summary_resolution.basis
    assert "England calendar" in deadlines.summary_resolution.basis


def test_compute_deadlines_without_response_uses_elapsed_time_for_fos_access() -> None:
    """E16 (DISP 2.8.1R(2)): with nothing sent the FOS may consider from D+57."""
    deadlines = compute_deadlines(received_at=london(2026, 4, 13), calendar=ENGLAND)
    assert deadlines.fos_referral_open_from.date == D(2026, 6, 9)
    assert deadlines.fos_referral_open_from.rule == "DISP 2.8.1R(2)"
    assert deadlines.time_bar is None
    assert deadlines.fos_six_month is None


def test_compute_deadlines_records_legacy_receipt_basis() -> None:
    """E4 (legacy DISP 1.5.3G): the deferred receipt date and why are stored with the deadlines."""
    deadlines = compute_deadlines(
        received_at=london(2026, 4, 2, 18), calendar=ENGLAND, defer_after_hours=True
    )
    assert deadlines.receipt_date == D(2026, 4, 7)
    assert deadlines.summary_resolution.date == D(2026, 4, 10)
    assert "legacy DISP 1.5.3G" in deadlines.receipt_basis


def test_src_deadline_overdue_after_close_of_business() -> None:
    """DISP 1.5.1R: E1's window is open until 17:00 on Thu 9 Apr 2026, London time."""
    src = Deadline(D(2026, 4, 9), "DISP 1.5.1R", "SRC", "E1", time=dt.time(17, 0))
    assert not src.is_overdue(london(2026, 4, 9, 17, 0))
    assert src.is_overdue(london(2026, 4, 9, 17, 1))
    assert not src.is_overdue(dt.datetime(2026, 4, 9, 15, 59, tzinfo=dt.UTC))
    end_of_day = Deadline(D(2026, 5, 28), "DISP 1.6.2R", "Final", "E17")
    assert not end_of_day.is_overdue(london(2026, 5, 28, 23, 59))
    assert end_of_day.is_overdue(london(2026, 5, 29, 0, 0))
