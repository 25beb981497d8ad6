"""The bank holidays page (Glossary "business day" (1)(a)): an administrator records a
proclamation moving a bank holiday in one form; handlers see the days but cannot record."""

from datetime import date

import pytest
from django.urls import reverse

from complaints.models import BankHoliday
from tests.factories import MembershipFactory, london, make_complaint

pytestmark = pytest.mark.django_db

URL = reverse("complaints:bank_holidays")


def _move(client, day: str, replaces: str, name: str, **kwargs):
    data = {"region": "england-and-wales", "day": day, "replaces": replaces, "name": name}
    return client.post(URL, data, **kwargs)


def test_disp_1_5_1R_moving_a_bank_holiday_on_the_page_recomputes_and_says_so(client, firm):
    complaint = make_complaint(firm=firm, received_at=london(2028, 4, 28, 16))
    client.force_login(MembershipFactory(firm=firm, role="admin").user)
    response = _move(client, "2028-05-05", "2028-05-01", "Early May bank holiday", follow=True)
    assert response.status_code == 200
    text = response.content.decode()
    assert "England and Wales: bank holiday moved from Mon 1 May 2028 to Fri 5 May 2028" in text
    assert "Recomputed 1 open complaint and 0 return due dates." in text
    assert "Mon 1 May 2028 (now a business day)" in text
    complaint.refresh_from_db()
    assert complaint.src_deadline == date(2028, 5, 3)


def test_glossary_business_day_page_refusal_shows_on_the_field_and_handlers_cannot_record(
    client, firm, handler
):
    client.force_login(MembershipFactory(firm=firm, role="admin").user)
    response = _move(client, "2028-12-29", "2028-12-25", "Moved")
    assert response.status_code == 400
    assert "Christmas Day is never a business day (Glossary); it cannot be moved." in (
        response.content.decode()
    )
    client.force_login(handler)
    page = client.get(URL)
    assert page.status_code == 200 and "Record a proclamation" not in page.content.decode()
    refused = client.post(URL, {"region": "scotland", "day": "2028-06-09", "name": "X"})
    assert refused.status_code == 403
    assert not BankHoliday.objects.exists()
