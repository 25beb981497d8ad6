"""Incidents: linking from a search, and bulk actions one complaint at a time, each audited."""

from datetime import date, timedelta

import pytest

from common.errors import ValidationFailed
from complaints import services as cs
from complaints.choices import Activity, CommunicationKind, Status
from complaints.models import Communication, Complaint
from remediation import selectors
from remediation.models import BulkRun, IncidentLink
from remediation.services.incidents import (
    incident_bulk_acknowledge,
    incident_bulk_assign,
    incident_create,
    incident_link,
)
from tests.factories import FirmFactory, MembershipFactory, london, make_complaint

from ..conftest import OUTAGE_END, OUTAGE_NOW, OUTAGE_START

pytestmark = pytest.mark.django_db


def test_search_by_reference_text_received_between_and_activity(firm, handler, outage_complaints):
    other = make_complaint(
        firm=firm,
        received_at=london(2026, 3, 10, 9),
        actor=handler,
        description="Staking rewards short",
        activity=Activity.STAKING,
        now=OUTAGE_NOW,
    )
    qs = Complaint.objects.filter(firm=firm)
    found = selectors.complaint_search(
        qs, received_from=date(2026, 3, 14), received_to=date(2026, 3, 14)
    )
    assert set(found) == set(outage_complaints)
    assert list(selectors.complaint_search(qs, text="staking")) == [other]
    assert list(selectors.complaint_search(qs, activity=Activity.STAKING)) == [other]
    assert list(selectors.complaint_search(qs, reference=other.reference)) == [other]


def test_bulk_link_writes_history_and_skips_already_linked(incident, outage_complaints, supervisor):
    ids = [c.pk for c in outage_complaints]
    first = incident_link(
        incident_id=incident.pk, complaint_ids=ids[:2], actor=supervisor, now=OUTAGE_NOW
    )
    again = incident_link(
        incident_id=incident.pk, complaint_ids=ids, actor=supervisor, now=OUTAGE_NOW
    )
    assert (first.linked, again.linked, again.already_linked) == (2, 2, 2)
    assert IncidentLink.objects.filter(incident=incident).count() == 4
    assert IncidentLink.history.filter(history_change_reason="incident.link").count() == 4
    assert set(IncidentLink.history.values_list("history_user_id", flat=True)) == {supervisor.pk}


def test_another_firms_complaint_cannot_be_linked(incident, supervisor):
    other = make_complaint(firm=FirmFactory(), received_at=OUTAGE_START, now=OUTAGE_NOW)
    with pytest.raises(ValidationFailed) as exc:
        incident_link(
            incident_id=incident.pk, complaint_ids=[other.pk], actor=supervisor, now=OUTAGE_NOW
        )
    assert "complaint_ids" in exc.value.fields
    assert not IncidentLink.objects.exists()


def test_incident_end_before_start_is_refused_naming_the_field(firm, supervisor):
    with pytest.raises(ValidationFailed) as exc:
        incident_create(
            firm=firm,
            actor=supervisor,
            now=OUTAGE_NOW,
            name="x",
            started_at=OUTAGE_END,
            ended_at=OUTAGE_START,
        )
    assert "ended_at" in exc.value.fields


def test_disp_1_6_1r_bulk_acknowledge_each_audited_one_failure_reported(
    incident, outage_complaints, handler, supervisor
):
    ids = [c.pk for c in outage_complaints]
    incident_link(incident_id=incident.pk, complaint_ids=ids, actor=supervisor, now=OUTAGE_NOW)
    # One was already acknowledged from its own page: the bulk action must report it.
    cs.complaint_acknowledge(
        complaint_id=ids[1], actor=handler, now=OUTAGE_NOW - timedelta(hours=1)
    )
    run = incident_bulk_acknowledge(incident_id=incident.pk, actor=supervisor, now=OUTAGE_NOW)
    by_id = {r["complaint_id"]: r for r in run.results}
    assert (run.succeeded, run.failed) == (3, 1)
    assert by_id[ids[1]]["ok"] is False
    assert "acknowledged" in by_id[ids[1]]["reason"].lower()
    for pk in (ids[0], ids[2], ids[3]):
        c = Complaint.objects.get(pk=pk)
        assert (
            by_id[pk]["ok"] and c.status == Status.ACKNOWLEDGED and c.acknowledged_at == OUTAGE_NOW
        )
        last = c.history.latest("history_date")
        assert (last.history_change_reason, last.history_user_id) == (
            "complaint.acknowledge",
            supervisor.pk,
        )
        assert (
            Communication.objects.filter(
                complaint_id=pk, kind=CommunicationKind.ACKNOWLEDGEMENT
            ).count()
            == 1
        )
    # The failed one is untouched: acknowledged once, by the handler, an hour earlier.
    failed = Complaint.objects.get(pk=ids[1])
    assert failed.acknowledged_at == OUTAGE_NOW - timedelta(hours=1)
    assert Communication.objects.filter(complaint_id=ids[1]).count() == 1
    assert BulkRun.objects.get(pk=run.pk).results == run.results


def test_bulk_assign_only_the_ticked_complaints(incident, outage_complaints, firm, supervisor):
    ids = [c.pk for c in outage_complaints]
    incident_link(incident_id=incident.pk, complaint_ids=ids, actor=supervisor, now=OUTAGE_NOW)
    new_owner = MembershipFactory(firm=firm, role="handler").user
    run = incident_bulk_assign(
        incident_id=incident.pk,
        owner_id=new_owner.pk,
        complaint_ids=ids[:2],
        actor=supervisor,
        now=OUTAGE_NOW,
    )
    assert run.succeeded == 2 and run.failed == 0
    owners = dict(Complaint.objects.filter(pk__in=ids).values_list("pk", "owner_id"))
    assert [owners[i] == new_owner.pk for i in ids] == [True, True, False, False]
    assert Complaint.history.filter(
        id=ids[0], history_change_reason="complaint.assign", history_user_id=supervisor.pk
    ).exists()


def test_bulk_assign_to_a_non_member_refused_before_touching_anything(
    incident, outage_complaints, supervisor
):
    incident_link(
        incident_id=incident.pk,
        complaint_ids=[c.pk for c in outage_complaints],
        actor=supervisor,
        now=OUTAGE_NOW,
    )
    outsider = MembershipFactory(firm=FirmFactory(), role="handler").user
    with pytest.raises(ValidationFailed) as exc:
        incident_bulk_assign(
            incident_id=incident.pk, owner_id=outsider.pk, actor=supervisor, now=OUTAGE_NOW
        )
    assert "owner" in exc.value.fields
    assert not BulkRun.objects.exists()
