"""The tasks API: a complaint's tasks (list, add) and one task (read, complete, cancel, reopen)."""

from __future__ import annotations

import pytest
import time_machine

from complaints.models import Task
from tests.api.conftest import client_for
from tests.factories import MembershipFactory, london, make_complaint

pytestmark = pytest.mark.django_db

NOW = london(2026, 6, 3, 9)  # Wed 3 Jun 2026


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def complaint(firm, handler):
    return make_complaint(
        firm=firm, received_at=london(2026, 5, 28, 10), actor=handler, owner_id=handler.pk
    )


def test_api_adds_lists_completes_cancels_and_reopens_tasks(complaint, handler):
    api = client_for(handler)
    url = f"/api/complaints/{complaint.pk}/tasks/"
    made = api.post(url, {"kind": "chase", "due_on": "2026-06-03", "note": "Logs"}, format="json")
    assert made.status_code == 201, made.content
    body = made.json()
    assert (body["assignee"], body["state"], body["urgency"]) == (handler.pk, "open", "today")
    assert body["complaint_reference"] == complaint.reference
    assert [t["id"] for t in api.get(url).json()] == [body["id"]]
    done = api.post(f"/api/tasks/{body['id']}/complete/")
    assert done.status_code == 200 and done.json()["state"] == "done"
    again = api.post(f"/api/tasks/{body['id']}/cancel/")
    assert again.status_code == 409 and again.json()["code"] == "task_not_open"
    assert api.post(f"/api/tasks/{body['id']}/reopen/").json()["state"] == "open"
    assert api.post(f"/api/tasks/{body['id']}/cancel/").json()["state"] == "cancelled"
    later = api.post(url, {"kind": "review", "due_on": "2026-06-20"}, format="json").json()
    assert [t["id"] for t in api.get(url).json()] == [later["id"], body["id"]]  # open first
    assert api.get(f"/api/tasks/{body['id']}/").json()["cancelled_by"] == handler.pk


def test_api_refuses_a_past_due_date_and_an_outsider_naming_the_field(
    complaint, handler, scottish_firm
):
    api = client_for(handler)
    url = f"/api/complaints/{complaint.pk}/tasks/"
    past = api.post(url, {"kind": "chase", "due_on": "2026-06-02"}, format="json")
    assert past.status_code == 400
    assert past.json()["code"] == "task_due_in_past" and "due_on" in past.json()["fields"]
    outsider = MembershipFactory(firm=scottish_firm, role="handler").user
    body = {"kind": "review", "due_on": "2026-06-04", "assignee": outsider.pk}
    refused = api.post(url, body, format="json")
    assert refused.status_code == 400 and refused.json()["code"] == "task_assignee_not_member"
    task = api.post(url, {"kind": "review", "due_on": "2026-06-04"}, format="json").json()
    moved = api.post(
        f"/api/tasks/{task['id']}/reassign/", {"assignee_id": outsider.pk}, format="json"
    )
    assert moved.status_code == 400 and "assignee" in moved.json()["fields"]
    colleague = MembershipFactory(firm=complaint.firm, role="handler").user
    moved = api.post(
        f"/api/tasks/{task['id']}/reassign/", {"assignee_id": colleague.pk}, format="json"
    )
    assert moved.status_code == 200 and moved.json()["assignee"] == colleague.pk
    assert Task.objects.get().assignee == colleague


def test_api_another_firms_tasks_are_not_found_and_roles_are_checked(
    complaint, handler, firm, scottish_firm
):
    made = client_for(handler).post(
        f"/api/complaints/{complaint.pk}/tasks/",
        {"kind": "chase", "due_on": "2026-06-04"},
        format="json",
    )
    task_id = made.json()["id"]
    outsider = client_for(MembershipFactory(firm=scottish_firm, role="supervisor").user)
    assert outsider.get(f"/api/complaints/{complaint.pk}/tasks/").status_code == 404
    assert outsider.get(f"/api/tasks/{task_id}/").status_code == 404
    assert outsider.post(f"/api/tasks/{task_id}/complete/").status_code == 404
    officer = client_for(MembershipFactory(firm=firm, role="reporting_officer").user)
    assert officer.get(f"/api/tasks/{task_id}/").status_code == 200
    assert officer.post(f"/api/tasks/{task_id}/complete/").status_code == 403
    assert Task.objects.get(pk=task_id).is_open
