"""Where the data-protection clocks show: the complaint page's panel (forms post to the one
endpoint, bad input is flashed on its field, never a 500), the queue's other deadlines with
their colour, the deadline watch, and the API (GET and one POST per action, coded refusals)."""

from __future__ import annotations

from datetime import date

import pytest
from django.urls import reverse

from complaints.services.dataprotection import dpa_complaint_record
from complaints.services.subject_access import sar_record
from notifications.models import Notice
from notifications.services import deadline_watch_run
from tests.api.conftest import client_for
from tests.factories import FirmFactory, MembershipFactory, london, make_complaint

pytestmark = pytest.mark.django_db

SUMMARY = "You shared my wallet address with a marketing partner without my consent."


@pytest.fixture
def complaint(firm, handler):
    return make_complaint(
        firm=firm, received_at=london(2026, 7, 3, 10), actor=handler, owner_id=handler.pk
    )


@pytest.fixture
def web(client, handler):
    client.force_login(handler)
    return client


def _act(complaint, action: str) -> str:
    return reverse("complaints:data_protection", args=[complaint.pk, action])


def test_dpa_panel_records_and_acknowledges(web, complaint, time_machine):
    """The panel shows the s.164A acknowledgement date and a form for each next step."""
    time_machine.move_to(london(2026, 7, 6, 9))
    response = web.post(_act(complaint, "record-complaint"), {"summary": SUMMARY})
    assert response.status_code == 302
    page = web.get(reverse("complaints:detail", args=[complaint.pk])).content.decode()
    assert "Acknowledgement due by Sat 1 Aug 2026 (DPA 2018 s.164A(3))" in page
    assert "Send the data-protection acknowledgement" in page
    dpa = complaint.data_protection_complaints.get()
    web.post(_act(complaint, "acknowledge"), {"dpa_id": dpa.pk, "method": "email"})
    page = web.get(reverse("complaints:detail", args=[complaint.pk])).content.decode()
    assert "Acknowledged Mon 6 Jul 2026; outcome owed" in page


def test_dpa_panel_bad_input_is_flashed_on_its_field(web, complaint, time_machine):
    time_machine.move_to(london(2026, 7, 6, 9))
    response = web.post(
        _act(complaint, "record-sar"), {"scope": "All", "received_on": "2026-07-30"}, follow=True
    )
    assert response.status_code == 200
    assert "Must not be later than today." in response.content.decode()
    response = web.post(_act(complaint, "record-sar"), {"scope": ""}, follow=True)
    assert response.status_code == 200
    assert "This field is required." in response.content.decode()


def test_dpa_panel_unknown_action_and_other_firm(web, complaint, time_machine):
    time_machine.move_to(london(2026, 7, 6, 9))
    assert web.post(_act(complaint, "nonsense"), {}).status_code == 404
    other = make_complaint(firm=FirmFactory(), received_at=london(2026, 7, 3, 10))
    assert web.post(_act(other, "record-complaint"), {"summary": SUMMARY}).status_code == 404


def test_dpa_record_of_another_complaint_is_not_found(web, complaint, firm, handler, time_machine):
    """A record id of another complaint (same firm) posted to this one is refused: 404 code."""
    time_machine.move_to(london(2026, 7, 6, 9))
    second = make_complaint(firm=firm, received_at=london(2026, 7, 3, 11), actor=handler)
    dpa = dpa_complaint_record(
        complaint_id=second.pk, actor=handler, now=london(2026, 7, 6, 9), summary=SUMMARY
    )
    api = client_for(handler)
    url = reverse("api-complaint-data-protection-acknowledge", args=[complaint.pk])
    response = api.post(url, {"dpa_id": dpa.pk}, format="json")
    assert response.status_code == 404
    assert response.json()["code"] == "data_protection_record_not_found"


def test_queue_lists_data_protection_deadlines_with_colour(web, complaint, handler, time_machine):
    """Queue: the acknowledgement owed and the subject access request, due soon, then breached."""
    dpa_complaint_record(
        complaint_id=complaint.pk,
        actor=handler,
        now=london(2026, 7, 30, 9),
        summary=SUMMARY,
        received_on=date(2026, 7, 3),
    )
    sar_record(
        complaint_id=complaint.pk,
        actor=handler,
        now=london(2026, 7, 30, 9),
        scope="My records",
        received_on=date(2026, 7, 3),
    )
    time_machine.move_to(london(2026, 7, 30, 9))
    page = web.get(reverse("complaints:queue")).content.decode()
    assert "Acknowledge the data-protection complaint" in page
    assert "Answer the subject access request" in page
    assert '<span class="deadline deadline--soon">Due soon</span> Sat 1 Aug 2026' in page
    assert '<span class="deadline deadline--soon">Due soon</span> Mon 3 Aug 2026' in page
    time_machine.move_to(london(2026, 8, 4, 9))
    page = web.get(reverse("complaints:queue")).content.decode()
    assert '<span class="deadline deadline--breached">Breached</span> Mon 3 Aug 2026' in page


def test_deadline_watch_warns_of_data_protection_dates(complaint, handler):
    """DPA 2018 s.164A(3) and UK GDPR Art 12(3) dates are in the deadline watch."""
    dpa_complaint_record(
        complaint_id=complaint.pk, actor=handler, now=london(2026, 7, 3, 12), summary=SUMMARY
    )
    sar_record(
        complaint_id=complaint.pk,
        actor=handler,
        now=london(2026, 7, 3, 12),
        scope="My records",
        received_on=date(2026, 7, 3),
    )
    deadline_watch_run(now=london(2026, 8, 4, 9))
    kinds = set(Notice.objects.values_list("kind", "due_date"))
    assert ("dpa_acknowledgement", date(2026, 8, 1)) in kinds
    assert ("sar_response", date(2026, 8, 3)) in kinds


def test_api_data_protection_get_and_actions(complaint, handler, time_machine):
    """GET shows both clocks; each action is a POST answering the new state; a late extension
    is a coded 409-class refusal naming the field."""
    time_machine.move_to(london(2026, 9, 3, 12))
    api = client_for(handler)
    base = f"/api/complaints/{complaint.pk}/data-protection/"
    response = api.post(
        base + "record-sar/", {"scope": "My records", "received_on": "2026-09-03"}, format="json"
    )
    assert response.status_code == 200, response.json()
    (sar,) = response.json()["subject_access_requests"]
    assert (sar["response_due"], sar["extension_notice_due"]) == ("2026-10-05", "2026-10-03")
    time_machine.move_to(london(2026, 10, 6, 9))
    response = api.post(
        base + "sar-extend/", {"sar_id": sar["id"], "reason": "Complex."}, format="json"
    )
    assert response.status_code == 409
    assert response.json()["code"] == "sar_extension_notice_late"
    assert api.get(base).json()["subject_access_requests"][0]["urgency"] == "breached"
    response = api.post(base + "sar-answer/", {"sar_id": sar["id"]}, format="json")
    assert response.status_code == 400
    assert "answered_on" in response.json()["fields"]


def test_api_data_protection_needs_handle_permission(complaint, firm, time_machine):
    time_machine.move_to(london(2026, 7, 6, 9))
    viewer = MembershipFactory(firm=firm, role="reporting_officer").user
    api = client_for(viewer)
    base = f"/api/complaints/{complaint.pk}/data-protection/"
    assert api.get(base).status_code == 200
    assert (
        api.post(base + "record-complaint/", {"summary": SUMMARY}, format="json").status_code == 403
    )


def test_data_protection_reads_issue_the_same_queries_at_1_and_6_records(complaint, handler):
    """The API body and the complaint page read both lists in a fixed number of queries."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from complaints.services.subject_access import sar_clarification_ask

    api = client_for(handler)
    url = f"/api/complaints/{complaint.pk}/data-protection/"

    def add(n: int) -> None:
        for _ in range(n):
            dpa_complaint_record(
                complaint_id=complaint.pk, actor=handler, now=london(2026, 7, 6, 9), summary=SUMMARY
            )
            sar = sar_record(
                complaint_id=complaint.pk,
                actor=handler,
                now=london(2026, 7, 6, 9),
                scope="My records",
                received_on=date(2026, 7, 3),
            )
            sar_clarification_ask(
                sar_id=sar.pk,
                actor=handler,
                now=london(2026, 7, 6, 9),
                question="Which account?",
                asked_on=date(2026, 7, 6),
            )

    def count() -> int:
        with CaptureQueriesContext(connection) as ctx:
            assert api.get(url).status_code == 200
        return len(ctx.captured_queries)

    add(1)
    api.get(url)
    small = count()
    add(5)
    assert count() == small
