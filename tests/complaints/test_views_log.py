"""The log-a-complaint form through the Django test client: saving with deadlines, field
errors, the live preview, likely duplicates, existing complainants and who may log."""

from __future__ import annotations

from datetime import date

import pytest
import time_machine
from django.urls import reverse

from complaints.choices import Role
from complaints.models import Complainant, Complaint
from tests.factories import (
    ComplainantFactory,
    FirmFactory,
    MembershipFactory,
    london,
    make_complaint,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def client_for(client):
    def _login(user):
        client.force_login(user)
        return client

    return _login


def _log_data(**overrides):
    data = {
        "expression_of_dissatisfaction": "on",
        "alleged_financial_loss": "on",
        "regime": "standard",
        "received_at": "2026-04-02T16:00",
        "channel": "email",
        "received_via": "direct",
        "activity": "operating_catp",
        "relationship": "customer",
        "description": "My withdrawal of 0.5 BTC has been pending for 12 days.",
        "complainant_mode": "new",
        "name": "Priya Kaur",
        "email": "priya@example.test",
        "complainant_type": "consumer",
        "is_retail": "on",
        "vulnerable_health": "on",
        "vulnerability_note": "Prefers written contact.",
        "vulnerability_consent": "on",
        "owner": "",
    }
    data.update(overrides)
    return data


@time_machine.travel(london(2026, 4, 3, 9), tick=False)
def test_log_a_complaint_saves_it_with_its_deadlines(client_for, handler):
    response = client_for(handler).post(reverse("complaints:create"), _log_data())
    assert response.status_code == 302
    complaint = Complaint.objects.get()
    assert response["Location"] == reverse("complaints:detail", args=[complaint.pk])
    assert complaint.is_complaint and complaint.src_deadline == date(2026, 4, 9)
    assert complaint.complainant.vulnerable_health
    assert complaint.history.get().history_user == handler


@time_machine.travel(london(2026, 4, 3, 9), tick=False)
def test_log_form_shows_errors_per_field_and_saves_nothing(client_for, handler):
    data = _log_data(received_at="2026-04-05T10:00", description="", name="", channel="")
    response = client_for(handler).post(reverse("complaints:create"), data)
    assert response.status_code == 200
    form = response.context["form"]
    assert set(form.errors) >= {"description", "name", "channel"}
    assert "The complaint was not logged" in response.content.decode()
    assert not Complaint.objects.exists() and not Complainant.objects.exists()


@time_machine.travel(london(2026, 4, 3, 9), tick=False)
def test_service_validation_errors_land_on_the_form_fields(client_for, handler):
    """The service refuses an event after receipt and a future receipt: each error is shown on
    its own field and nothing is saved."""
    client = client_for(handler)
    response = client.post(reverse("complaints:create"), _log_data(event_date="2026-04-10"))
    assert response.context["form"].errors["event_date"] == [
        "The event complained of cannot be after the complaint was received."
    ]
    response = client.post(reverse("complaints:create"), _log_data(received_at="2026-04-04T09:00"))
    assert response.context["form"].errors["received_at"] == ["Cannot be in the future."]
    assert not Complaint.objects.exists() and not Complainant.objects.exists()


@time_machine.travel(london(2026, 4, 3, 9), tick=False)
def test_live_preview_shows_deadlines_and_the_glossary_verdict(client_for, handler):
    client = client_for(handler)
    html = client.post(reverse("complaints:create_preview"), _log_data()).content.decode()
    assert "Thu 9 Apr 2026, close of business" in html  # E1: DISP 1.5.1R
    assert "Thu 28 May 2026" in html  # E17: DISP 1.6.2R
    assert "DISP 1.5.1R" in html and "A complaint" in html
    feedback = _log_data()
    del feedback["alleged_financial_loss"]
    html = client.post(reverse("complaints:create_preview"), feedback).content.decode()
    assert "Feedback or query" in html and "without an allegation of financial loss" in html
    assert not Complaint.objects.exists()


@time_machine.travel(london(2026, 4, 3, 9), tick=False)
def test_feedback_without_alleged_detriment_is_logged_as_not_a_complaint(client_for, handler):
    data = _log_data()
    del data["alleged_financial_loss"]
    client_for(handler).post(reverse("complaints:create"), data)
    assert Complaint.objects.get().is_complaint is False


@time_machine.travel(london(2026, 4, 3, 9), tick=False)
def test_likely_duplicate_is_shown_and_the_handler_can_proceed(client_for, firm, handler):
    earlier = make_complaint(
        firm=firm,
        received_at=london(2026, 3, 20, 10),
        complainant=ComplainantFactory(firm=firm, name="Someone", email="priya@example.test"),
    )
    client = client_for(handler)
    preview = client.post(reverse("complaints:create_preview"), _log_data()).content.decode()
    assert "Possible duplicate" in preview and earlier.reference in preview

    first = client.post(reverse("complaints:create"), _log_data())
    assert first.status_code == 200 and "Log it anyway" in first.content.decode()
    assert Complaint.objects.count() == 1

    second = client.post(reverse("complaints:create"), _log_data(confirm_duplicate="1"))
    assert second.status_code == 302
    assert Complaint.objects.count() == 2


@time_machine.travel(london(2026, 4, 3, 9), tick=False)
def test_duplicate_window_is_a_setting(client_for, firm, handler, settings):
    settings.DUPLICATE_WINDOW_DAYS = 7
    make_complaint(
        firm=firm,
        received_at=london(2026, 3, 20, 10),
        complainant=ComplainantFactory(firm=firm, email="priya@example.test"),
    )
    response = client_for(handler).post(reverse("complaints:create"), _log_data())
    assert response.status_code == 302


@time_machine.travel(london(2026, 4, 3, 9), tick=False)
def test_log_for_an_existing_complainant(client_for, firm, handler):
    person = ComplainantFactory(firm=firm, name="Existing Person", email="e@example.test")
    data = _log_data(complainant_mode="existing", complainant_id=str(person.pk), name="")
    response = client_for(handler).post(
        reverse("complaints:create"), {**data, "confirm_duplicate": "1"}
    )
    assert response.status_code == 302
    assert Complaint.objects.get().complainant == person


@time_machine.travel(london(2026, 4, 3, 9), tick=False)
def test_existing_complainant_of_another_firm_is_refused(client_for, handler):
    stranger = ComplainantFactory(firm=FirmFactory())
    data = _log_data(complainant_mode="existing", complainant_id=str(stranger.pk))
    response = client_for(handler).post(reverse("complaints:create"), data)
    assert response.status_code == 200
    assert response.context["form"].errors["complainant_search"] == ["Unknown complainant."]
    assert not Complaint.objects.exists()


def test_reporting_officer_cannot_log_complaints(client_for, firm):
    officer = MembershipFactory(firm=firm, role=Role.REPORTING_OFFICER).user
    assert client_for(officer).get(reverse("complaints:create")).status_code == 403


@time_machine.travel(london(2026, 4, 3, 9), tick=False)
def test_fg21_1_log_form_refuses_drivers_without_consent_on_the_consent_field(client_for, handler):
    data = _log_data()
    data.pop("vulnerability_consent")
    response = client_for(handler).post(reverse("complaints:create"), data)
    assert response.status_code == 200 and not Complaint.objects.exists()
    errors = response.context["form"].errors
    assert "only with the complainant's consent" in errors["vulnerability_consent"][0]
