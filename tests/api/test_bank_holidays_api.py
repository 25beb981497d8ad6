"""The bank holidays API (Glossary "business day" (1)(a)): a proclamation recorded in one call
moves open DISP 1.5.1R deadlines; bad input is a 400 naming the field; handlers cannot record."""

from datetime import date

import pytest
from django.urls import reverse

from complaints.models import BankHoliday
from tests.factories import london, make_complaint

from .conftest import client_for, member

pytestmark = pytest.mark.django_db

URL = reverse("api-bank-holidays")
MOVE = {
    "region": "england-and-wales",
    "day": "2026-05-08",
    "replaces": "2026-05-04",
    "name": "Early May bank holiday (VE Day)",
}


def test_disp_1_5_1R_recording_a_moved_bank_holiday_through_the_api_moves_the_src_deadline(
    firm, handler
):
    """Received Thu 30 Apr 2026 16:00 in England: SRC due Wed 6 May with Mon 4 May a holiday,
    Tue 5 May once the holiday moves to Fri 8 May."""
    complaint = make_complaint(firm=firm, received_at=london(2026, 4, 30, 16))
    assert complaint.src_deadline == date(2026, 5, 6)
    admin = client_for(member(firm, "admin"))

    response = admin.post(URL, MOVE, format="json")

    assert response.status_code == 201, response.content
    body = response.json()
    assert body["complaints_recomputed"] == [complaint.pk]
    assert body["holiday"]["region"] == "england-and-wales"
    assert body["holiday"]["replaces"] == "2026-05-04"
    complaint.refresh_from_db()
    assert complaint.src_deadline == date(2026, 5, 5)
    listed = client_for(handler).get(URL).json()
    assert [(h["day"], h["replaces"]) for h in listed] == [("2026-05-08", "2026-05-04")]


def test_glossary_business_day_api_refusals_name_the_field_and_save_nothing(firm, api):
    admin = client_for(member(firm, "admin"))
    not_a_holiday = admin.post(URL, {**MOVE, "replaces": "2026-05-05"}, format="json")
    assert not_a_holiday.status_code == 400
    assert not_a_holiday.json()["fields"] == {
        "replaces": ["Tue 5 May 2026 is not a bank holiday in England."]
    }
    bad_region = admin.post(URL, {**MOVE, "region": "cornwall"}, format="json")
    assert bad_region.status_code == 400 and "region" in bad_region.json()["fields"]
    assert api.post(URL, MOVE, format="json").status_code == 403  # a handler
    assert not BankHoliday.objects.exists()
