"""The work queue a team can work: sortable columns, saved views, bulk reassign with a
confirmation step (through the complaint service), and the export of the current view."""

from __future__ import annotations

import importlib
import io

import openpyxl
import pytest
import time_machine

from common.errors import TransitionRefused
from complaints.choices import Role
from complaints.errors import ErrorCode
from complaints.models import Complaint, SavedFilter
from complaints.services.bulk import complaints_bulk
from complaints.services.saved_filters import saved_filter_create
from complaints.views import queue_export
from tests.factories import (
    ComplainantFactory,
    FirmFactory,
    MembershipFactory,
    UserFactory,
    london,
    make_complaint,
)

pytestmark = pytest.mark.django_db

NOW = london(2026, 6, 1, 9, 0)  # Mon 1 Jun 2026


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def team(firm, handler):
    """Three open complaints of the firm: references, receipt times and owners that sort
    differently, two received at the same moment (the tie goes by id)."""
    alice = UserFactory(first_name="Alice", last_name="Able")
    MembershipFactory(firm=firm, role=Role.HANDLER, user=alice)
    same = london(2026, 5, 28, 10)
    b = make_complaint(firm=firm, received_at=same, reference="B-2", owner_id=alice.pk)
    a = make_complaint(
        firm=firm,
        received_at=london(2026, 5, 20, 10),
        reference="C-3",
        complainant=ComplainantFactory(firm=firm, name="=HYPERLINK(1)"),
    )
    c = make_complaint(firm=firm, received_at=same, reference="A-1", owner_id=handler.pk)
    return {"alice": alice, "B-2": b, "C-3": a, "A-1": c}


def refs(response) -> list[str]:
    return [row.complaint.reference for row in response.context["rows"]]


def test_sortable_columns_are_whitelisted_stable_and_kept_in_the_links(client, handler, team):
    client.force_login(handler)
    base = "/?tab=team&status=all"
    assert refs(client.get(base + "&sort=reference")) == ["A-1", "B-2", "C-3"]
    assert refs(client.get(base + "&sort=-reference")) == ["C-3", "B-2", "A-1"]
    # B-2 and A-1 were received at the same moment: ties go by id (B-2 was logged first).
    assert refs(client.get(base + "&sort=received")) == ["C-3", "B-2", "A-1"]
    assert refs(client.get(base + "&sort=-received")) == ["A-1", "B-2", "C-3"]
    # Owners by name (Alice Able before the handler), nobody's last either way.
    assert refs(client.get(base + "&sort=owner"))[-1] == "C-3"
    assert refs(client.get(base + "&sort=-owner"))[-1] == "C-3"
    # Anything else is the default DISP-deadline order, never passed to the database.
    default = refs(client.get(base))
    assert refs(client.get(base + "&sort=description")) == default
    assert refs(client.get(base + "&sort=-deadline")) == list(reversed(default))

    response = client.get(base + "&sort=-reference&page=1")
    html = response.content.decode()
    # The sorted heading says so to assistive technology, and its link turns the order round,
    # keeping the filters; paging and tabs keep the sort.
    assert 'aria-sort="descending"' in html
    assert "tab=team&amp;status=all&amp;sort=reference" in html
    assert "sort=-reference" in response.context["query"]
    assert "page" not in response.context["query"]
    assert "sort=-reference" in response.context["tab_query"]
    # The filter form carries the sort through htmx filtering.
    assert '<input type="hidden" name="sort" value="-reference">' in html
    htmx = client.get(base + "&sort=-reference", headers={"HX-Request": "true"})
    assert refs(htmx) == ["C-3", "B-2", "A-1"]


def test_saved_views_per_user_shared_with_the_team_and_deleted_only_by_their_owner(
    client, firm, handler, team
):
    client.force_login(handler)
    response = client.post(
        "/queue/views/",
        {"name": "Alice's", "query": f"tab=team&owner={team['alice'].pk}&page=3&evil=1"},
    )
    assert response.status_code == 302
    mine = SavedFilter.objects.get(name="Alice's")
    # Only the queue form's own keys are kept: no page, nothing the queue does not read.
    assert mine.query == f"tab=team&owner={team['alice'].pk}"
    assert (mine.owner, mine.firm, mine.shared) == (handler, firm, False)
    assert mine.history.first().history_change_reason == "queue.saved_filter.create"
    client.post("/queue/views/", {"name": "Everything", "query": "status=all", "shared": "on"})
    shared = SavedFilter.objects.get(name="Everything")

    # The same name again is refused on the page (a flash), and by the service with a code.
    response = client.post("/queue/views/", {"name": "Alice's", "query": ""}, follow=True)
    assert "You already have a saved view called" in response.content.decode()
    with pytest.raises(Exception) as refused:
        saved_filter_create(
            firm_id=firm.pk, actor=handler, now=NOW, name="Alice's", query="", shared=False
        )
    assert refused.value.code == ErrorCode.SAVED_FILTER_NAME_TAKEN

    page = client.get("/")
    assert [s.name for s in page.context["saved_filters"]] == ["Alice's", "Everything"]
    assert f'href="/?tab=team&amp;owner={team["alice"].pk}"' in page.content.decode()
    assert refs(client.get("/?" + mine.query)) == ["B-2"]

    # A colleague sees the shared view only, and may not delete it.
    colleague = MembershipFactory(firm=firm, role=Role.HANDLER).user
    client.force_login(colleague)
    assert [s.name for s in client.get("/").context["saved_filters"]] == ["Everything"]
    assert client.post(f"/queue/views/{mine.pk}/delete/").status_code == 404
    refused_page = client.post(f"/queue/views/{shared.pk}/delete/", follow=True)
    assert "Only the person who saved this view may delete it" in refused_page.content.decode()
    assert SavedFilter.objects.filter(pk=shared.pk).exists()
    # Another firm's member cannot reach it at all.
    stranger = MembershipFactory(firm=FirmFactory(), role=Role.SUPERVISOR).user
    client.force_login(stranger)
    assert client.post(f"/queue/views/{shared.pk}/delete/").status_code == 404

    client.force_login(handler)
    client.post(f"/queue/views/{mine.pk}/delete/")
    assert not SavedFilter.objects.filter(pk=mine.pk).exists()


def test_bulk_reassign_asks_for_confirmation_then_calls_the_service_per_complaint(
    client, firm, handler, supervisor, team
):
    alice = team["alice"]
    other_firm = make_complaint(firm=FirmFactory(), received_at=london(2026, 5, 28, 10))
    chosen = [team["A-1"].pk, team["C-3"].pk, other_firm.pk]
    client.force_login(supervisor)
    form = {"action": "reassign", "owner": str(alice.pk), "complaint": chosen, "back": "tab=team"}

    confirm = client.post("/queue/bulk/", {**form, "step": "choose"})
    assert confirm.status_code == 200
    html = confirm.content.decode()
    assert "Each will be reassigned to Alice Able." in html
    assert "A-1" in html and "C-3" in html
    # Another firm's complaint is not theirs to name: dropped, never listed.
    assert [c.pk for c in confirm.context["complaints"]] == chosen[:2]
    assert Complaint.objects.get(pk=team["A-1"].pk).owner == handler  # nothing done yet

    done = client.post("/queue/bulk/", {**form, "confirmed": "yes"})
    assert done.status_code == 200
    assert [o.ok for o in done.context["outcomes"]] == [True, True]
    for ref in ("A-1", "C-3"):
        complaint = Complaint.objects.get(pk=team[ref].pk)
        assert complaint.owner == alice
        # complaint_assign ran on each: its own history entry, a version on.
        assert complaint.history.first().history_change_reason == "complaint.assign"
    assert Complaint.objects.get(pk=other_firm.pk).owner is None

    # An owner who is not a member is bad input on the confirmation page (a 400), not a 500.
    bad = client.post("/queue/bulk/", {**form, "owner": "999999", "step": "review"})
    assert bad.status_code == 400 and bad.context["form"].errors["owner"]
    # Nothing ticked: back to the queue with a flash.
    empty = client.post("/queue/bulk/", {"action": "reassign", "step": "choose"}, follow=True)
    assert "Tick at least one complaint first." in empty.content.decode()


def test_bulk_actions_need_the_roles_permissions(client, firm, team):
    officer = MembershipFactory(firm=firm, role=Role.REPORTING_OFFICER).user
    client.force_login(officer)
    body = {"action": "reassign", "complaint": [team["A-1"].pk], "confirmed": "yes", "owner": ""}
    assert client.post("/queue/bulk/", body).status_code == 403
    assert Complaint.objects.get(pk=team["A-1"].pk).owner is not None
    # Read-only roles see no tick boxes.
    assert 'name="complaint"' not in client.get("/?tab=team").content.decode()


def test_a_refusal_on_one_complaint_is_reported_and_the_others_still_go_ahead(firm, team):
    def each(complaint):
        if complaint.reference == "B-2":
            raise TransitionRefused("invalid_state", "Not now.", rule="house rule 7")
        if complaint.reference == "C-3":
            raise RuntimeError("boom")

    ids = [team["A-1"].pk, team["B-2"].pk, team["C-3"].pk, 987654]
    outcomes = complaints_bulk(firm_id=firm.pk, complaint_ids=ids, each=each, action="test")
    assert [(o.reference, o.ok, o.message) for o in outcomes] == [
        ("A-1", True, ""),
        ("B-2", False, "Not now. (house rule 7)"),
        ("C-3", False, "Unexpected error: RuntimeError"),
        ("", False, "No such complaint in this firm."),
    ]


def test_export_is_the_current_view_every_page_csv_and_xlsx(client, handler, team, monkeypatch):
    client.force_login(handler)
    # The export is every page of the view.
    monkeypatch.setattr(importlib.import_module("complaints.views.queue"), "PAGE_SIZE", 1)
    csv = client.get("/queue/export/csv/?tab=team&status=all&sort=-reference")
    assert csv["Content-Disposition"].startswith('attachment; filename="work-queue-')
    lines = b"".join(csv.streaming_content).decode("utf-8-sig").splitlines()
    assert lines[0].startswith("Reference,Received (received_at),Complainant,")
    assert [line.split(",")[0] for line in lines[1:]] == ["C-3", "B-2", "A-1"]
    # Formulas from data are neutralised; dates are ISO 8601 in UK time.
    assert lines[1].split(",")[2] == "'=HYPERLINK(1)"
    assert ",2026-05-20T10:00:00+01:00," in lines[1]

    xlsx = client.get("/queue/export/xlsx/?tab=team&status=all&owner=" + str(handler.pk))
    sheet = openpyxl.load_workbook(io.BytesIO(xlsx.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert [r[0] for r in rows[1:]] == ["A-1"]
    assert sheet.cell(row=2, column=2).number_format == "dd/mm/yyyy hh:mm"

    assert client.get("/queue/export/pdf/").status_code == 404
    monkeypatch.setattr(queue_export, "EXPORT_MAX", 2)
    too_many = client.get("/queue/export/csv/?tab=team&status=all", follow=True)
    assert "narrow the filters" in too_many.content.decode()


@pytest.mark.parametrize("rows", [2, 8])
def test_sorted_queue_and_export_query_counts_are_constant(
    client, firm, handler, rows, django_assert_max_num_queries
):
    owners = [MembershipFactory(firm=firm, role=Role.HANDLER).user for _ in range(2)]
    for i in range(rows):
        make_complaint(firm=firm, received_at=london(2026, 5, 1 + i, 10), owner_id=owners[i % 2].pk)
    client.force_login(handler)
    client.get("/?tab=team")  # warm the session
    # The queue page's 13 (test_views_queue): the ids of the sorted page replace the merged
    # deadline keys.
    with django_assert_max_num_queries(13):
        response = client.get("/?tab=team&sort=-owner")
    assert len(response.context["rows"]) == rows
    # session, user, memberships, members, holidays, the ids, one chunk of rows.
    with django_assert_max_num_queries(7):
        csv = client.get("/queue/export/csv/?tab=team&sort=status")
        assert len(b"".join(csv.streaming_content).splitlines()) == rows + 1


def test_bulk_task_asks_for_the_task_confirms_then_creates_one_per_complaint(
    client, firm, handler, team
):
    from complaints import services
    from complaints.models import Task

    withdrawn = team["B-2"]
    services.complaint_withdraw(complaint_id=withdrawn.pk, actor=handler, now=NOW)
    chosen = [team["A-1"].pk, withdrawn.pk, team["C-3"].pk]
    client.force_login(handler)
    base = {"action": "task", "complaint": chosen, "back": "tab=team"}

    # From the queue: the task's details are asked for first, with no errors shown yet.
    ask = client.post("/queue/bulk/", {**base, "step": "choose"})
    assert ask.status_code == 200 and not ask.context["ready"]
    assert not ask.context["form"].errors
    # A past due date is refused once, on the form.
    past = {**base, "step": "review", "kind": "chase", "due_on": "2026-05-29"}
    assert client.post("/queue/bulk/", past).status_code == 400
    task = {**base, "step": "review", "kind": "chase", "due_on": "2026-06-03", "note": "Logs"}
    review = client.post("/queue/bulk/", task)
    assert review.context["ready"]
    assert (
        "Each will get a task: Chase, due Wed 3 Jun 2026, for its owner (you, where nobody "
        "owns it). Note: “Logs”." in review.content.decode()
    )
    assert not Task.objects.exists()

    done = client.post("/queue/bulk/", {**task, "confirmed": "yes"})
    outcomes = {o.reference: o for o in done.context["outcomes"]}
    assert outcomes["A-1"].ok and outcomes["C-3"].ok
    # task_create refuses the withdrawn complaint; the others still get theirs.
    assert not outcomes["B-2"].ok and "reopen it" in outcomes["B-2"].message
    tasks = {t.complaint_id: t for t in Task.objects.all()}
    assert set(tasks) == {team["A-1"].pk, team["C-3"].pk}
    assert tasks[team["A-1"].pk].assignee == handler  # its owner
    assert tasks[team["C-3"].pk].assignee == handler  # nobody owns it: the one who asked
    assert tasks[team["A-1"].pk].history.first().history_change_reason == "task.create"
