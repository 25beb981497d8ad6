"""The complaint detail read by SQL compiled once per date (issue 18) renders the body the
queryset renders, and its calendar, kept per process, follows a bank holiday proclaimed in the
admin on the very next request."""

from __future__ import annotations

import json
from datetime import date

import pytest
from django.urls import reverse
from rest_framework.renderers import JSONRenderer

from complaints import deadlines, serializers
from complaints.api.base import detail_queryset
from complaints.models import BankHoliday
from complaints.serializers import ComplaintDetailSerializer
from tests.api.conftest import NOW, client_for
from tests.factories import UserFactory, london, make_complaint

pytestmark = pytest.mark.django_db


def test_the_detail_body_is_the_querysets_byte_for_byte(firm, handler, other_firm):
    api = client_for(handler)
    owned = make_complaint(firm=firm, received_at=london(2026, 3, 2, 9), owner_id=handler.pk)
    plain = make_complaint(firm=firm, received_at=london(2026, 4, 2, 16))
    for complaint in (owned, plain):
        response = api.get(f"/api/complaints/{complaint.pk}/")
        row = detail_queryset(NOW).get(pk=complaint.pk)
        body = ComplaintDetailSerializer(row, context={"now": NOW, "user": handler}).data
        assert response.content == JSONRenderer().render(body)
        assert response["ETag"] == f'"{row.version}"'
    elsewhere = make_complaint(firm=other_firm, received_at=london(2026, 4, 2, 16))
    assert api.get(f"/api/complaints/{elsewhere.pk}/").status_code == 404
    assert api.get(f"/api/complaints/{plain.pk + 1000}/").status_code == 404


def test_a_bank_holiday_proclaimed_in_the_admin_counts_on_the_next_detail(
    client, firm, handler, monkeypatch
):
    calendars, reads = [], []
    shown = serializers.complaint_deadlines
    read = deadlines.calendar_for_nation

    def spy_shown(complaint, now, calendar=None):
        calendars.append(calendar)
        return shown(complaint, now, calendar)

    def spy_read(nation):
        reads.append(nation)
        return read(nation)

    monkeypatch.setattr(serializers, "complaint_deadlines", spy_shown)
    monkeypatch.setattr(deadlines, "calendar_for_nation", spy_read)
    deadlines.calendar_at.cache_clear()
    api = client_for(handler)
    complaint = make_complaint(firm=firm, received_at=london(2026, 4, 2, 16))
    url = f"/api/complaints/{complaint.pk}/"
    day = date(2026, 4, 15)
    reads.clear()  # registering read it
    api.get(url)
    api.get(url)
    assert len(reads) == 1 and calendars[-1].is_business_day(day)  # read once, then kept
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    response = client.post(
        reverse("admin:complaints_bankholiday_add"),
        {"nation": "england-and-wales", "date": "2026-04-15", "name": "Extra day"},
    )
    assert response.status_code == 302 and BankHoliday.objects.filter(date=day).exists()
    reads.clear()  # proclaiming read it
    body = json.loads(api.get(url).content)
    assert len(reads) == 1 and not calendars[-1].is_business_day(day)
    assert body["deadlines"]


def test_the_unfiltered_list_pages_are_the_querysets_byte_for_byte(firm, handler, other_firm):
    from complaints.api import complaints as module
    from complaints.api.complaints import list_queryset
    from complaints.serializers import ComplaintListSerializer

    module._compiled_page.cache_clear()

    api = client_for(handler)
    for day in range(1, 8):
        owner = handler.pk if day % 2 else None
        make_complaint(firm=firm, received_at=london(2026, 3, day, 9), owner_id=owner)
    make_complaint(firm=other_firm, received_at=london(2026, 3, 9, 9))
    rows = list(list_queryset(NOW).filter(firm_id__in=[firm.pk]))
    for page, expected in ((1, rows[:3]), (2, rows[3:6]), (3, rows[6:])):
        body = api.get("/api/complaints/", {"page_size": 3, "page": page}).json()
        assert (body["count"], body["count_exact"]) == (7, True)
        results = ComplaintListSerializer(expected, many=True).data
        assert JSONRenderer().render(body["results"]) == JSONRenderer().render(results)
    assert module._compiled_page.cache_info().currsize == 3  # the compiled route, page by page


def test_an_empty_unfiltered_list_is_an_empty_page(api):
    body = api.get("/api/complaints/").json()
    assert (body["count"], body["count_exact"], body["results"]) == (0, True, [])
