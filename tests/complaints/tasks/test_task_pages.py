"""Tasks on the complaint page, "My tasks", and the queue's Next task column and filter."""

from __future__ import annotations

from datetime import date

import pytest
import time_machine
from django.urls import reverse

from complaints.models import Task
from complaints.services import complainant_set_adjustments, task_complete, task_create
from complaints.services.adjustments import Adjustments
from tests.factories import MembershipFactory, london, make_complaint

pytestmark = pytest.mark.django_db

NOW = london(2026, 6, 3, 9)  # Wed 3 Jun 2026
TODAY = date(2026, 6, 3)


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def client_in(client, handler):
    client.force_login(handler)
    return client


def _complaint(firm, owner, ref, **kw):
    return make_complaint(
        firm=firm, received_at=london(2026, 5, 28, 10), reference=ref, owner_id=owner.pk, **kw
    )


def _task(complaint, user, due_on, **kw):
    # Tasks due before today are made yesterday (a task cannot be added in the past).
    made = london(2026, 5, 29, 9) if due_on < TODAY else NOW
    return task_create(complaint, user=user, kind="chase", due_on=due_on, now=made, **kw)


def test_tasks_panel_adds_completes_and_reopens_a_task(client_in, firm, handler):
    complaint = _complaint(firm, handler, "PANEL-1")
    page = reverse("complaints:detail", args=[complaint.pk])
    assert "No tasks or diary dates on this complaint." in client_in.get(page).content.decode()
    response = client_in.post(
        reverse("complaints:task_add", args=[complaint.pk]),
        {"kind": "call_back", "due_on": "2026-06-03", "due_time": "14:30", "note": "Statement"},
        follow=True,
    )
    html = response.content.decode()
    assert "Task added: Call back: Statement, due Wed 3 Jun 2026." in html
    assert "Due today" in html and "deadline--soon" in html
    task = Task.objects.get(complaint=complaint)
    assert task.assignee == handler and task.due_time.hour == 14
    client_in.post(reverse("complaints:task_act", args=[task.pk, "complete"]))
    assert Task.objects.get(pk=task.pk).state == "Done"
    client_in.post(reverse("complaints:task_act", args=[task.pk, "reopen"]))
    assert Task.objects.get(pk=task.pk).is_open


def test_tasks_panel_flashes_a_due_date_in_the_past_on_its_field(client_in, firm, handler):
    complaint = _complaint(firm, handler, "PANEL-2")
    response = client_in.post(
        reverse("complaints:task_add", args=[complaint.pk]),
        {"kind": "chase", "due_on": "2026-06-02"},
        follow=True,
    )
    said = "A task cannot be due in the past (today is Wed 3 Jun 2026)."
    assert said in response.content.decode()
    assert not Task.objects.exists()


def test_call_back_task_shows_the_complainants_contact_adjustments(client_in, firm, handler):
    complaint = _complaint(firm, handler, "ADJ-1")
    complainant_set_adjustments(
        complaint_id=complaint.pk,
        actor=handler,
        now=NOW,
        adjustments=Adjustments(preferred_channel="email", contact_times="Weekday mornings"),
    )
    task = task_create(complaint, user=handler, kind="call_back", due_on=TODAY, now=NOW)
    html = client_in.get(reverse("complaints:my_tasks")).content.decode()
    assert "Prefers e-mail to a call" in html and "Contact times: Weekday mornings" in html
    assert task.contact_adjustments == [
        "Prefers e-mail to a call",
        "Contact times: Weekday mornings",
    ]
    panel = client_in.get(reverse("complaints:detail", args=[complaint.pk])).content.decode()
    assert 'type="date" name="due_on" value="2026-06-03"' in panel  # what type=date reads


def test_other_firms_task_is_not_found_and_a_reporting_officer_cannot_act(
    client, firm, handler, scottish_firm
):
    complaint = _complaint(firm, handler, "ISO-1")
    task = _task(complaint, handler, TODAY)
    outsider = MembershipFactory(firm=scottish_firm, role="supervisor").user
    client.force_login(outsider)
    complete = reverse("complaints:task_act", args=[task.pk, "complete"])
    assert client.post(complete).status_code == 404
    add = reverse("complaints:task_add", args=[complaint.pk])
    assert client.post(add, {"kind": "chase", "due_on": "2026-06-04"}).status_code == 404
    officer = MembershipFactory(firm=firm, role="reporting_officer").user
    client.force_login(officer)
    assert client.post(complete).status_code == 403
    assert Task.objects.get(pk=task.pk).is_open


def test_my_tasks_lists_overdue_today_upcoming_in_constant_queries(
    client_in, firm, handler, supervisor, django_assert_num_queries
):
    def load(n):
        for i in range(n):
            c = _complaint(firm, handler, f"MY-{n}-{i}")
            _task(c, handler, date(2026, 6, 1))
            _task(c, handler, TODAY)
            _task(c, handler, date(2026, 6, 9))
            _task(c, supervisor, TODAY, assignee=supervisor)  # not mine

    load(1)
    client_in.get(reverse("complaints:my_tasks"))  # warm the session
    # Session, user, memberships, the counts, the page's count, its rows, unread notices.
    with django_assert_num_queries(7):
        response = client_in.get(reverse("complaints:my_tasks"))
    counts = response.context["counts"]
    assert (counts.overdue, counts.today, counts.upcoming) == (1, 1, 1)
    assert [u for _, u in response.context["rows"]] == ["breached", "soon", "later"]
    load(4)
    with django_assert_num_queries(7):
        response = client_in.get(reverse("complaints:my_tasks") + "?when=overdue")
    assert len(response.context["rows"]) == 5
    assert "Overdue" in response.content.decode()


def test_queue_next_task_column_and_tasks_due_filter_in_constant_queries(
    client_in, firm, handler, django_assert_num_queries
):
    overdue = _complaint(firm, handler, "Q-OVERDUE")
    _task(overdue, handler, date(2026, 6, 1))
    _task(overdue, handler, date(2026, 6, 20))
    later = _complaint(firm, handler, "Q-LATER")
    _task(later, handler, date(2026, 6, 10))
    done = _complaint(firm, handler, "Q-DONE")
    task_complete(task_id=_task(done, handler, TODAY).pk, actor=handler, now=NOW)
    _complaint(firm, handler, "Q-NONE")

    client_in.get("/")
    # The queue's 13 (tests/complaints/test_views_queue.py): the next task is in the rows' query.
    with django_assert_num_queries(13):
        response = client_in.get("/?tab=mine")
    cells = {row.complaint.reference: row.next_task for row in response.context["rows"]}
    assert cells["Q-OVERDUE"].due_on == date(2026, 6, 1)
    assert (cells["Q-OVERDUE"].urgency, cells["Q-OVERDUE"].label) == ("breached", "Overdue")
    assert cells["Q-LATER"].urgency == "later" and cells["Q-DONE"].due_on is None
    assert "Overdue</span> Mon 1 Jun 2026" in response.content.decode()
    filtered = client_in.get("/?tab=mine&tasks_due=on")
    assert [row.complaint.reference for row in filtered.context["rows"]] == ["Q-OVERDUE"]

    for i in range(6):
        _task(_complaint(firm, handler, f"Q-MORE-{i}"), handler, TODAY)
    with django_assert_num_queries(13):
        response = client_in.get("/?tab=mine")
    assert len(response.context["rows"]) == 10


def test_my_tasks_runs_the_same_queries_whatever_the_number_of_tasks(
    client_in, firm, handler, django_assert_max_num_queries
):
    """Issue 16: the list pages keep a constant number of queries (one complaint per task, so a
    per-row complaint, complainant or assignee lookup would show)."""

    def add(start, count):
        for i in range(start, start + count):
            _task(_complaint(firm, handler, f"MINE-{i}"), handler, TODAY, note=f"Chase {i}")

    add(0, 1)
    client_in.get(reverse("complaints:my_tasks"))  # warm the session
    with django_assert_max_num_queries(12) as one:
        client_in.get(reverse("complaints:my_tasks"))
    add(1, 5)
    with django_assert_max_num_queries(len(one.captured_queries)):
        html = client_in.get(reverse("complaints:my_tasks")).content.decode()
    assert all(f"MINE-{i}" in html for i in range(6))
