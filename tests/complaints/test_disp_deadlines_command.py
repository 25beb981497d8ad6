"""``manage.py disp_deadlines``: the DISP clock as a command for compliance staff."""

import json
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from complaints.models import BankHoliday

pytestmark = pytest.mark.django_db


def run(*args: str) -> dict:
    out = StringIO()
    call_command("disp_deadlines", *args, stdout=out)
    return json.loads(out.getvalue())


def test_e2_scotland_src_deadline_and_8_week_dates():
    """E2 (DISP 1.5.1R): received Thu 2 Apr 2026 16:00 in Scotland: SRC Wed 8 Apr 2026.
    E17 (DISP 1.6.2R): 8 weeks end Thu 28 May 2026; DISP 2.8.1R(2): FOS from Fri 29 May."""
    data = run("--received", "2026-04-02T16:00", "--nation", "scotland")
    assert data["summary_resolution_deadline"] == "2026-04-08"
    assert data["final_response_due"] == "2026-05-28"
    assert data["extended_final_response_due"] is None
    assert data["fos_referral_open_from"] == "2026-05-29"
    assert data["time_bar_date"] is None
    assert data["fos_six_month_deadline"] is None


def test_e24_psd_regime_scotland():
    """E24 (DISP 1.6.2AR): PSD received Thu 17 Dec 2026, Scotland: 15 BD Wed 13 Jan 2027,
    35 BD Wed 10 Feb 2027."""
    data = run("--received", "2026-12-17T10:00", "--nation", "scotland", "--regime", "psd")
    assert data["final_response_due"] == "2027-01-13"
    assert data["extended_final_response_due"] == "2027-02-10"


def test_time_bar_and_six_month_window_e25_e29():
    data = run(
        "--received",
        "2027-11-02T10:00",
        "--nation",
        "england",
        "--event-date",
        "2027-11-01",
        "--awareness-date",
        "2027-11-01",
    )
    assert data["time_bar_date"] == "2033-11-01"  # E29, DISP 2.8.2R(2)
    assert data["event_on_or_after_commencement"] is True  # E32 with go-live 2027-10-25
    data = run(
        "--received",
        "2026-04-01T10:00",
        "--nation",
        "england",
        "--final-response-sent",
        "2026-04-15",
    )
    assert data["fos_six_month_deadline"] == "2026-10-15"  # E25, DISP 2.8.2R(1)


def test_no_six_month_wording_gives_no_six_month_deadline_e28():
    data = run(
        "--received",
        "2026-04-01T10:00",
        "--nation",
        "england",
        "--final-response-sent",
        "2026-04-15",
        "--no-six-month-wording",
    )
    assert data["fos_six_month_deadline"] is None


def test_administrator_added_holiday_moves_the_src_deadline():
    """A proclaimed one-off day (data, not an algorithm) is a non-business day."""
    before = run("--received", "2026-10-01T10:00", "--nation", "england")
    assert before["summary_resolution_deadline"] == "2026-10-06"
    BankHoliday.objects.create(nation="england", date="2026-10-05", name="Proclaimed holiday")
    after = run("--received", "2026-10-01T10:00", "--nation", "england")
    assert after["summary_resolution_deadline"] == "2026-10-07"
    assert after["calendar_version"] != before["calendar_version"]


@pytest.mark.parametrize(
    ("args", "named"),
    [
        (["--received", "yesterday", "--nation", "england"], "--received"),
        (["--received", "2026-04-02T16:00", "--nation", "mars"], "--nation"),
        (["--received", "2026-04-02T16:00", "--nation", "wales", "--regime", "x"], "--regime"),
        (
            ["--received", "2026-04-02T16:00", "--nation", "wales", "--event-date", "2026-13-01"],
            "--event-date",
        ),
        (["--nation", "wales"], "--received"),
    ],
)
def test_a_bad_argument_is_a_one_line_error_naming_it(args, named):
    with pytest.raises(CommandError) as exc:
        call_command("disp_deadlines", *args, stdout=StringIO())
    assert str(exc.value).startswith(named)
    assert "\n" not in str(exc.value)


RECEIVED = ["--received", "2026-04-02T16:00", "--nation", "england"]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ["--final-response-sent", "2026-04-01"],
            "--final-response-sent: 2026-04-01 is before the complaint was received (2026-04-02)",
        ),
        (
            ["--final-response-sent", "0010-04-02"],
            "--final-response-sent: 0010-04-02 is before the complaint was received (2026-04-02)",
        ),
        (
            ["--event-date", "2026-04-03"],
            "--event-date: 2026-04-03 is after the complaint was received (2026-04-02)",
        ),
        (
            ["--awareness-date", "2026-04-03"],
            "--awareness-date: 2026-04-03 is after the complaint was received (2026-04-02)",
        ),
    ],
)
def test_disp_1_6_2r_dates_out_of_order_with_receipt_are_a_one_line_error(args, message):
    """DISP 1.6.2R counts from receipt: a response cannot be sent before it, and the event
    complained of (DISP 2.8.2R(2)) cannot follow it. Exit status 1 (CommandError), one line."""
    with pytest.raises(CommandError) as exc:
        call_command("disp_deadlines", *RECEIVED, *args, stdout=StringIO())
    assert str(exc.value) == message
    assert exc.value.returncode == 1


def test_disp_1_6_2r_response_on_the_day_of_receipt_is_accepted():
    data = run(*RECEIVED, "--final-response-sent", "2026-04-02", "--event-date", "2026-04-02")
    assert data["fos_referral_open_from"] == "2026-04-02"  # DISP 2.8.1R(1)
