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
