"""The referral page's actions as a browser posts them: each answer's status, its flash and
where it lands (common.pageactions runs them)."""

from datetime import date

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from fos.models import FosDeadline, Referral
from tests.factories import london
from tests.fos.helpers import log, responded_complaint

pytestmark = pytest.mark.django_db


def _flashes(response) -> list[str]:
    """The messages the response flashed (read, so the next request starts with none)."""
    shown = [str(m) for m in get_messages(response.wsgi_request)]
    response.client.cookies.pop("messages", None)
    return shown


@pytest.fixture
def referral(firm, handler):
    c = responded_complaint(firm=firm, actor=handler, received=london(2025, 11, 1, 10))
    return log(c, handler, referred_on=date(2026, 1, 10), fos_reference="PNX-1")


def test_each_referral_action_flashes_and_lands_on_the_referral(client, handler, referral):
    client.force_login(handler)
    page = reverse("fos:detail", args=[referral.pk])

    def post(name, data=None, *args):
        response = client.post(reverse(name, args=[referral.pk, *args]), data or {})
        assert response.status_code == 302 and response["Location"] == page
        return _flashes(response)

    assert post("fos:reference", {"fos_reference": "PNX-2"}) == ["FOS reference saved."]
    assert post("fos:chargeable", {"chargeable_on": "2026-02-01", "note": "Invoice"}) == [
        "Chargeable date recorded."
    ]
    assert post("fos:checklist") == [
        "Jurisdiction checklist recomputed from the complaint as it stands."
    ]
    assert post("fos:deadline_add", {"description": "Send the file", "due_on": "2026-01-24"}) == [
        "FOS deadline added."
    ]
    assert post("fos:consent", {"confirm": "on"}) == [
        "Consent to waive the time limits recorded. It cannot be withdrawn (DISP 2.8.2AR)."
    ]
    assert post("fos:action", {"on": "2026-01-12"}, "start_investigation") == [
        "Recorded: Investigation started."
    ]
    assert post("fos:action", {}, "refer_back") == [
        "“Referred back to the firm” is not possible at the stage “Investigation”."
    ]
    stale = post("fos:reference", {"fos_reference": "PNX-3", "expected_version": 1})
    assert len(stale) == 1
    assert Referral.objects.get().fos_reference == "PNX-2"
    deadline = FosDeadline.objects.get()
    done = client.post(reverse("fos:deadline_done", args=[deadline.pk]))
    assert done["Location"] == page and _flashes(done) == ["Marked done: Send the file."]
    again = client.post(reverse("fos:deadline_done", args=[deadline.pk]))
    assert again["Location"] == page and len(_flashes(again)) == 1


def test_invalid_input_shows_the_referral_page_again(client, handler, referral):
    client.force_login(handler)
    for name, data, text in (
        ("fos:consent", {}, "This field is required."),
        ("fos:reference", {"fos_reference": ""}, "This field is required."),
        ("fos:award", {"amount": "-1"}, ""),  # the award form shows once there is a view
        ("fos:deadline_add", {"description": "x"}, "This field is required."),
    ):
        response = client.post(reverse(name, args=[referral.pk]), data)
        assert response.status_code == 400 and text in response.content.decode(), name
        assert _flashes(response) == []


def test_logging_twice_is_refused_on_the_form(client, handler, referral):
    client.force_login(handler)
    url = reverse("fos:log", args=[referral.complaint_id])
    again = client.post(url, {"referred_on": "2026-01-11", "referred_by": "complainant"})
    assert again.status_code == 400 and Referral.objects.count() == 1
    assert _flashes(again) == []
