"""``insert_audited`` writes a new row and its "created" history row as ``save_audited`` does
(the row, then simple-history's record: every field, who, why, "+"), as two plain INSERTs
(issue 18: the API create), and the audit chain links the history row as before."""

from __future__ import annotations

import pytest
from django.db import connection

from common.audit import insert_audited, save_audited
from common.chain import verify_chains
from complaints.models import Complainant, Complaint
from tests.factories import FirmFactory, UserFactory, london, make_complaint

pytestmark = pytest.mark.django_db

_WHEN = {"id", "history_id", "history_date", "created_at"}


def _written(save, firm, user) -> tuple[dict, dict]:
    person = Complainant(firm=firm, name="Jo Bloggs", email="jo@example.com", is_retail=True)
    save(person, actor=user, reason="complainant.create")
    row = Complainant.objects.filter(pk=person.pk).values().get()
    [history] = Complainant.history.filter(id=person.pk).values()
    assert row["created_at"] == person.created_at is not None
    assert history["created_at"] == row["created_at"]
    return (
        {k: v for k, v in row.items() if k not in _WHEN},
        {k: v for k, v in history.items() if k not in _WHEN},
    )


def _saved(obj, *, actor, reason):
    save_audited(obj, actor=actor, reason=reason, before=None)


def test_insert_audited_writes_the_row_and_history_save_audited_writes():
    firm, user = FirmFactory(), UserFactory()
    inserted = _written(insert_audited, firm, user)
    assert inserted == _written(_saved, firm, user)
    row, history = inserted
    assert history["history_type"] == "+"
    assert history["history_change_reason"] == "complainant.create"
    assert history["history_user_id"] == user.pk
    assert {k: history[k] for k in row} == row


def test_the_object_is_saved_after_insert_audited():
    person = Complainant(firm=FirmFactory(), name="Jo Bloggs")
    insert_audited(person, actor=None, reason="complainant.create")
    assert person.pk is not None and not person._state.adding
    assert Complainant.history.get(id=person.pk).history_user_id is None
    person.name = "Jo Smith"
    person.save()  # an UPDATE of the row written, not a second row
    assert Complainant.objects.get().name == "Jo Smith"


def test_the_audit_chain_links_the_history_row_insert_audited_writes():
    if connection.vendor != "postgresql":
        pytest.skip("the chain is kept on PostgreSQL only")
    person = Complainant(firm=FirmFactory(), name="Jo Bloggs")
    insert_audited(person, actor=None, reason="complainant.create")
    assert all(r.breaks == [] for r in verify_chains())


def test_a_registered_complaint_has_one_created_history_row_equal_to_its_row():
    """complaint_register writes through insert_audited: the row keeps what Complaint.save
    would store (the queue's response deadline), and its one history row holds the same values
    with the actor and the use case."""
    firm, user = FirmFactory(), UserFactory()
    complaint = make_complaint(firm=firm, received_at=london(2026, 4, 2, 16), actor=user)
    row = Complaint.objects.filter(pk=complaint.pk).values().get()
    assert row["response_deadline"] == complaint.current_response_deadline() is not None
    [history] = Complaint.history.filter(id=complaint.pk).values()
    assert {k: history[k] for k in row} == row
    assert (history["history_type"], history["history_change_reason"]) == (
        "+",
        "complaint.register",
    )
    assert history["history_user_id"] == user.pk
    [person] = Complainant.history.filter(id=complaint.complainant_id).values()
    assert (person["history_change_reason"], person["history_user_id"]) == (
        "complainant.create",
        user.pk,
    )


@pytest.mark.parametrize("model", [Complainant, Complaint])
def test_the_models_insert_audited_writes_have_no_signal_receiver_it_would_skip(model):
    """``insert_audited`` skips ``pre_save``/``post_save``: it is only for models whose sole
    receivers are simple-history's. A receiver added later for these models fails here, so it
    cannot be skipped silently by the API create and the register import."""
    from django.db.models.signals import post_save, pre_save

    for signal in (pre_save, post_save):
        modules = {
            getattr(receiver, "__module__", "") for receiver in signal._live_receivers(model)[0]
        }
        assert modules <= {"simple_history.models"}, (signal, modules)
