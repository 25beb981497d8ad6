"""common/fsm_states.py: a model rendered outside the project's registry (as every migration
state is) leaves no django-fsm receiver behind; the project's own models keep theirs."""

from django.apps.registry import Apps
from django.db import models
from django.db.models.signals import class_prepared
from django_fsm import FSMField

from letters.models import Letter


def test_a_model_outside_the_project_registry_leaves_no_fsm_receiver():
    before = len(class_prepared.receivers)
    meta = type("Meta", (), {"app_label": "fsm_states_test", "apps": Apps()})
    fields = {"status": FSMField(default="draft"), "__module__": __name__, "Meta": meta}
    rendered = type("Rendered", (models.Model,), fields)
    assert len(class_prepared.receivers) == before
    assert rendered._meta.get_field("status").name == "status"


def test_the_projects_own_fsm_models_keep_their_transitions():
    assert Letter.get_all_status_transitions  # set by FSMField.contribute_to_class
    assert any(True for _ in Letter().get_all_status_transitions())


def test_a_state_is_read_from_the_instance_as_django_fsm_reads_it(db, firm):
    """fast_state_reads answers what django-fsm's own read answers: the instance's value when
    it holds one (what Django's DeferredAttribute returns), the database's when deferred."""
    from django.db.models.query_utils import DeferredAttribute
    from django_fsm import FSMField

    from common.fsm_states import _original_get_state, _original_read
    from complaints.models import Complaint
    from tests.factories import london, make_complaint

    complaint = make_complaint(firm=firm, received_at=london(2026, 3, 2, 10))
    field = Complaint._meta.get_field("status")
    assert type(field) is FSMField  # the plain field, read the quick way
    held = Complaint.objects.get(pk=complaint.pk)
    held.__dict__["status"] = "sentinel"  # what a transition sets (FSMField.set_state)
    # Django's and django-fsm's own reads answer the instance's value: the quick read leans on it.
    assert DeferredAttribute(field).__get__(held) == "sentinel"
    assert _original_get_state(field, held) == "sentinel"
    assert held.status == field.get_state(held) == "sentinel"
    deferred = Complaint.objects.only("id").get(pk=complaint.pk)
    assert "status" not in deferred.__dict__
    assert deferred.status == complaint.status  # fetched, as django-fsm fetches it
    again = Complaint.objects.only("id").get(pk=complaint.pk)
    assert field.get_state(again) == complaint.status
    assert _original_read(Complaint.__dict__["status"], None) is Complaint.__dict__["status"]
