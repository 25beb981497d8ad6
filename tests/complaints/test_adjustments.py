"""Recording a complainant's reasonable adjustments (FG21/1; Equality Act 2010 s.20): on the
complaint page, its own page and the API; validated (a field and a reason, never a 500),
permission-checked and kept in the complainant's history."""

from __future__ import annotations

import pytest
from django.urls import reverse

from complaints.models import Complainant
from notifications.services import deadline_watch_run
from tests.api.conftest import client_for
from tests.factories import ComplainantFactory, MembershipFactory, london, make_complaint
from tests.letters.welsh import ask_for, offer_welsh

pytestmark = pytest.mark.django_db

RECEIVED = london(2026, 4, 2, 10)


@pytest.fixture
def complaint(firm, handler):
    return make_complaint(firm=firm, received_at=RECEIVED, actor=handler)


def _url(complaint) -> str:
    return reverse("api-complaint-adjustments", args=[complaint.pk])


def test_api_reads_and_changes_only_the_fields_given(complaint, handler):
    api = client_for(handler)
    assert api.get(_url(complaint)).json()["preferred_channel"] == ""
    r = api.patch(
        _url(complaint), {"preferred_channel": "post", "large_print": True}, format="json"
    )
    assert r.status_code == 200, r.content
    assert r.json()["summary"] == ["Contact by post", "Large print letters"]
    r = api.patch(_url(complaint), {"contact_times": "Mornings"}, format="json")
    body = r.json()
    assert (body["preferred_channel"], body["large_print"], body["contact_times"]) == (
        "post",
        True,
        "Mornings",
    )
    person = Complainant.objects.get(pk=complaint.complainant_id)
    assert person.history.first().history_change_reason == "complainant.adjustments"
    assert person.history.first().history_user == handler


def test_reasonable_adjustment_email_channel_needs_an_email_address(firm, handler):
    person = ComplainantFactory(firm=firm, email="", phone="")
    complaint = make_complaint(firm=firm, received_at=RECEIVED, actor=handler, complainant=person)
    api = client_for(handler)
    for channel in ("email", "phone"):
        r = api.patch(_url(complaint), {"preferred_channel": channel}, format="json")
        assert r.status_code == 400
        assert r.json()["code"] == "validation_error"
        assert "preferred_channel" in r.json()["fields"]


def test_welsh_letters_only_where_the_firm_offers_them_api(complaint, handler, firm):
    api = client_for(handler)
    r = api.patch(_url(complaint), {"letter_language": "cy"}, format="json")
    assert r.status_code == 400
    assert "does not offer letters in Welsh" in r.json()["fields"]["letter_language"][0]
    offer_welsh(firm)
    r = api.patch(_url(complaint), {"letter_language": "cy"}, format="json")
    assert r.status_code == 200 and r.json()["letter_language"] == "cy"


def test_bad_input_is_a_400_naming_the_field(complaint, handler):
    api = client_for(handler)
    r = api.patch(_url(complaint), {"preferred_channel": "pigeon"}, format="json")
    assert r.status_code == 400 and "preferred_channel" in r.json()["fields"]
    r = api.patch(_url(complaint), {"contact_times": "x" * 201}, format="json")
    assert r.status_code == 400 and "contact_times" in r.json()["fields"]


def test_only_a_handler_or_supervisor_changes_them(complaint, firm):
    officer = MembershipFactory(firm=firm, role="reporting_officer").user
    api = client_for(officer)
    assert api.get(_url(complaint)).status_code == 200
    r = api.patch(_url(complaint), {"large_print": True}, format="json")
    assert r.status_code == 403


def test_firm_welsh_setting_api_is_for_administrators(firm, handler):
    url = reverse("api-firm-welsh", args=[firm.pk])
    assert client_for(handler).get(url).json() == {"offers_welsh": False}
    assert client_for(handler).patch(url, {"offers_welsh": True}, format="json").status_code == 403
    admin = MembershipFactory(firm=firm, role="admin").user
    r = client_for(admin).patch(url, {"offers_welsh": True}, format="json")
    assert r.status_code == 200 and r.json() == {"offers_welsh": True}
    firm.refresh_from_db()
    assert firm.offers_welsh and firm.history.first().history_change_reason == "firm.offers_welsh"


def test_page_shows_and_saves_the_adjustments(complaint, handler, client):
    client.force_login(handler)
    detail = client.get(reverse("complaints:detail", args=[complaint.pk])).content.decode()
    assert "Reasonable adjustments" in detail and "None recorded." in detail
    url = reverse("complaints:adjustments", args=[complaint.pk])
    page = client.get(url).content.decode()
    assert '<label for="id_large_print">' in page
    r = client.post(
        url,
        {
            "preferred_channel": "post",
            "contact_times": "Weekday mornings",
            "large_print": "on",
            "letter_language": "en",
        },
    )
    assert r.status_code == 302
    detail = client.get(reverse("complaints:detail", args=[complaint.pk])).content.decode()
    assert "Contact by post" in detail and "Contact times: Weekday mornings" in detail
    assert "Large print letters" in detail


def test_page_shows_a_refusal_on_its_field(complaint, handler, client):
    client.force_login(handler)
    url = reverse("complaints:adjustments", args=[complaint.pk])
    r = client.post(url, {"preferred_channel": "", "letter_language": "cy"})
    assert r.status_code == 400
    assert "does not offer letters in Welsh" in r.content.decode()


def test_deadline_notices_show_the_contact_preferences_to_the_handler(
    firm, handler, client, mailoutbox
):
    """The handler sees how and when to contact the complainant beside each deadline; the
    e-mailed notice carries no complainant data."""
    complaint = make_complaint(firm=firm, received_at=RECEIVED, actor=handler, owner_id=handler.pk)
    ask_for(complaint, handler, preferred_channel="post", contact_times="After 6pm")
    deadline_watch_run(now=london(2026, 4, 8, 9))
    client.force_login(handler)
    page = client.get(reverse("notifications:list")).content.decode()
    assert "Contact the complainant by post: After 6pm" in page
    assert all("After 6pm" not in m.body for m in mailoutbox)
