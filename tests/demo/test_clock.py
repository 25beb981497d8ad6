"""The demo clock: `make demo` runs a year into the regime, says so on every page, and can never
be switched on in production."""

import os
import subprocess
import sys
from datetime import date, datetime

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.test import override_settings

from demo.clock import LONDON, REGIME_DEMO_MOMENT, demo_moment


def test_regime_demo_moment_lies_after_commencement_by_more_than_the_demo_lookback():
    """CP26/4: the regime starts on 25 Oct 2027; the demo's oldest complaint is 350 days old."""
    from django.conf import settings

    commencement = settings.CRYPTO_COMMENCEMENT_DATE
    assert (REGIME_DEMO_MOMENT.date() - commencement).days > 350


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("", None),
        ("regime", REGIME_DEMO_MOMENT),
        ("2028-03-06", datetime(2028, 3, 6, 9, 30, tzinfo=LONDON)),
        ("2028-03-06T14:00", datetime(2028, 3, 6, 14, 0, tzinfo=LONDON)),
    ],
)
def test_demo_clock_reads_regime_dates_and_date_times_as_london_time(value, expected):
    assert demo_moment(value) == expected


def test_demo_clock_refuses_what_it_cannot_read():
    with pytest.raises(ImproperlyConfigured, match="DEMO_CLOCK='next tuesday'"):
        demo_moment("next tuesday")


@pytest.mark.django_db
def test_every_page_says_the_demo_clock_is_running(client, django_user_model):
    user = django_user_model.objects.create_user("viewer", password="x")
    client.force_login(user)
    assert b"demo-clock" not in client.get("/").content
    with override_settings(DEMO_CLOCK="regime"):
        page = client.get("/", follow=True).content.decode()
    assert "This copy runs as if today were Mon 16 Oct 2028" in page
    assert "began on Mon 25 Oct 2027" in page


def test_production_refuses_to_start_with_the_demo_clock():
    env = {
        **os.environ,
        "DJANGO_ENV": "production",
        "SECRET_KEY": "x" * 60,
        "ALLOWED_HOSTS": "example.org",
        "DEMO_CLOCK": "regime",
    }
    run = subprocess.run(
        [sys.executable, "-c", "import config.settings"],
        env=env,
        capture_output=True,
        text=True,
    )
    assert run.returncode != 0
    assert "DEMO_CLOCK" in run.stderr


def test_the_demo_clock_ticks_from_its_moment_in_a_process_that_starts_with_it():
    """The server and the loader run the whole process at the demo moment (AppConfig.ready)."""
    env = {**os.environ, "DEMO_CLOCK": "2028-03-06T14:00", "DATABASE_URL": "sqlite:///:memory:"}
    code = (
        "import django; django.setup(); from django.utils import timezone; "
        "print(timezone.localtime(timezone.now()).isoformat())"
    )
    run = subprocess.run(
        [sys.executable, "-c", code],
        env={**env, "DJANGO_SETTINGS_MODULE": "config.settings"},
        capture_output=True,
        text=True,
        check=True,
    )
    shown = datetime.fromisoformat(run.stdout.strip())
    assert shown.date() == date(2028, 3, 6)
    assert shown.hour == 14
