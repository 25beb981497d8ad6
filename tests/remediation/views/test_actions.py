"""The remediation pages' own actions, as a browser posts them: the status of each answer, the
flash it leaves and where it lands (common.pageactions runs them all)."""

from datetime import date

import pytest
import time_machine
from django.contrib.messages import get_messages

from remediation.models import ComplaintRootCause, RedressItem, RemediationAction, RootCause
from remediation.services.redress import redress_accept
from tests.factories import london

from ..conftest import ACCEPTED, investigating

pytestmark = pytest.mark.django_db


def _flashes(response) -> list[str]:
    """The messages the response flashed (read, so the next request starts with none)."""
    shown = [str(m) for m in get_messages(response.wsgi_request)]
    response.client.cookies.pop("messages", None)
    return shown


def test_raise_an_action_and_move_it_on(client, firm, supervisor, tree):
    client.force_login(supervisor)
    bad = client.post("/remediation/actions/", {"title": "Fix it", "owner": supervisor.pk})
    assert bad.status_code == 400
    refused = client.post(
        "/remediation/actions/",
        {
            "title": "Fix it",
            "owner": supervisor.pk,
            "due_on": "2026-05-01",
            "review_on": "2026-04-01",
        },
    )
    assert refused.status_code == 400
    assert "The review comes after the fix is due." in refused.content.decode()
    ok = client.post(
        "/remediation/actions/",
        {
            "title": "Fix it",
            "owner": supervisor.pk,
            "root_cause": tree["outage"].pk,
            "due_on": "2026-05-01",
            "review_on": "2026-06-01",
        },
    )
    action = RemediationAction.objects.get()
    assert ok.status_code == 302 and ok["Location"] == f"/remediation/actions/{action.pk}/"
    assert _flashes(ok) == ["Action raised."]
    url = f"/remediation/actions/{action.pk}/"
    assert client.post(url, {"status": "nonsense"}).status_code == 400
    stale = client.post(url, {"status": "in_progress", "version": action.version + 5})
    assert stale.status_code == 400
    moved = client.post(url, {"status": "in_progress", "version": action.version})
    assert moved.status_code == 302 and moved["Location"] == url
    assert _flashes(moved) == ["Action updated."]
    assert RemediationAction.objects.get().status == "in_progress"


def test_redress_steps_flash_and_go_back(client, firm, handler, item):
    client.force_login(handler)
    url = f"/remediation/redress/{item.pk}/step/"
    back = f"/complaints/{item.complaint_id}/"
    invalid = client.post(url, {"op": "nonsense"})
    assert invalid.status_code == 302 and invalid["Location"] == back
    assert _flashes(invalid) == [
        "Op: Select a valid choice. nonsense is not one of the available choices."
    ]
    refused = client.post(url, {"op": "pay", "payment_reference": "X1"})
    assert refused.status_code == 302 and refused["Location"] == back
    assert len(_flashes(refused)) == 1
    declined = client.post(url, {"op": "decline", "reason": "Too little"})
    assert declined.status_code == 302
    assert _flashes(declined) == ["Decline recorded."]
    assert RedressItem.objects.get().status == "declined"


def test_redress_payment_from_the_panel(client, firm, handler, item):
    redress_accept(item_id=item.pk, actor=handler, now=ACCEPTED)
    client.force_login(handler)
    with time_machine.travel(london(2026, 4, 20, 10), tick=False):
        paid = client.post(
            f"/remediation/redress/{item.pk}/step/",
            {"op": "pay", "payment_reference": "FPS-1", "next": "/remediation/redress/"},
        )
    assert paid.status_code == 302 and paid["Location"] == "/remediation/redress/"
    assert _flashes(paid) == ["Payment recorded."]


def test_root_causes_and_no_redress_from_the_panel(client, firm, handler, tree):
    c = investigating(firm, handler)
    client.force_login(handler)
    back = f"/complaints/{c.pk}/"
    base = f"/remediation/complaints/{c.pk}/"
    missing = client.post(f"{base}root-causes/", {})
    assert missing.status_code == 302 and missing["Location"] == back
    assert _flashes(missing) == ["Root cause: This field is required."]
    ok = client.post(f"{base}root-causes/", {"root_cause": tree["outage"].pk, "note": "n"})
    assert _flashes(ok) == ["Root cause recorded."]
    again = client.post(f"{base}root-causes/", {"root_cause": tree["outage"].pk})
    assert _flashes(again) == ["'Outage' is already recorded on this complaint."]
    removed = client.post(f"{base}root-causes/{tree['outage'].pk}/remove/")
    assert removed.status_code == 302 and _flashes(removed) == ["Root cause removed."]
    assert not ComplaintRootCause.objects.exists()
    gone = client.post(f"{base}root-causes/{tree['outage'].pk}/remove/")
    assert _flashes(gone) == ["That root cause is not recorded on this complaint."]
    reason = client.post(f"{base}no-redress/", {"reason": "Nothing was lost."})
    assert reason.status_code == 302 and _flashes(reason) == ["Reason recorded."]


def test_taxonomy_refusal_shows_on_the_form(client, firm, admin_user, tree):
    client.force_login(admin_user)
    dup = client.post("/remediation/root-causes/", {"name": "Communication"})
    assert dup.status_code == 400
    assert "Already exists under this parent." in dup.content.decode()
    ok = client.post("/remediation/root-causes/", {"name": "Fees"})
    assert ok.status_code == 302 and ok["Location"] == "/remediation/root-causes/"
    assert _flashes(ok) == ["Root cause 'Fees' added."]
    assert RootCause.objects.filter(name="Fees").exists()


def test_incident_edit_and_link_flash(client, firm, supervisor, incident, outage_complaints):
    client.force_login(supervisor)
    url = f"/remediation/incidents/{incident.pk}/"
    bad = client.post(f"{url}edit/", {"name": ""})
    assert bad.status_code == 302 and bad["Location"] == url
    assert _flashes(bad) == ["Name: This field is required.", "Started: This field is required."]
    ok = client.post(
        f"{url}edit/",
        {"name": "Outage", "started_at": "2026-03-14T17:40", "ended_at": "2026-03-14T22:05"},
    )
    assert ok.status_code == 302 and _flashes(ok) == ["Incident updated."]
    ids = [c.pk for c in outage_complaints[:2]]
    linked = client.post(f"{url}link/", {"complaint": ids})
    assert _flashes(linked) == ["Linked 2 complaint(s)."]
    again = client.post(f"{url}link/", {"complaint": [*ids, outage_complaints[2].pk]})
    assert _flashes(again) == ["Linked 1 complaint(s); 2 were already linked."]
    created = client.post(
        "/remediation/incidents/", {"name": "Second", "started_at": "2026-03-20T09:00"}
    )
    assert created.status_code == 302 and _flashes(created) == ["Incident 'Second' recorded."]
    assert date(2026, 3, 20) == incident.__class__.objects.get(name="Second").started_at.date()


def test_bulk_actions_land_on_the_run_without_a_flash(
    client, firm, supervisor, incident, outage_complaints
):
    client.force_login(supervisor)
    url = f"/remediation/incidents/{incident.pk}/"
    client.post(f"{url}link/", {"complaint": [c.pk for c in outage_complaints]})
    client.cookies.pop("messages", None)
    bad = client.post(f"{url}bulk/", {"action": "nonsense"})
    assert bad.status_code == 302 and bad["Location"] == url
    assert _flashes(bad) == [
        "Action: Select a valid choice. nonsense is not one of the available choices."
    ]
    run = client.post(f"{url}bulk/", {"action": "assign", "owner": supervisor.pk})
    assert run.status_code == 302 and run["Location"].startswith("/remediation/bulk-runs/")
    assert _flashes(run) == []
    refused = client.post(f"{url}bulk/", {"action": "assign", "owner": 999999})
    assert refused.status_code == 302 and refused["Location"] == url
    assert len(_flashes(refused)) == 1
