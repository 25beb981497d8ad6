"""``common.fields.build`` makes the instance ``Model(**values)`` makes (issue 18: the register
import builds a complaint and a complainant per row, and Django's field-by-field constructor was
the largest single cost of judging a row)."""

from datetime import date

import pytest
from django.db import models, router
from django.db.models.signals import post_init
from django.test.utils import isolate_apps
from django_fsm import FSMField

from common.fields import build
from complaints.models import Complainant, Complaint, Firm
from tests.factories import london

AT = london(2026, 3, 2, 10)


def _values() -> tuple[Firm, Complainant, dict]:
    firm = Firm(pk=7, name="Firm", frn="123456")
    person = Complainant(firm=firm, name="Jo")
    values = {
        "firm": firm,
        "complainant": person,
        "received_at": AT,
        "channel": "email",
        "description": "Late withdrawal.",
        "event_date": date(2026, 3, 1),
        "owner_id": None,
    }
    return firm, person, values


def _same(built, made) -> None:
    ours, django = vars(built), vars(made)
    assert list(ours) == list(django)  # the same attributes, in the same order
    assert {k: v for k, v in ours.items() if k != "_state"} == {
        k: v for k, v in django.items() if k != "_state"
    }
    assert built._state.fields_cache == made._state.fields_cache
    assert (built._state.adding, built._state.db) == (made._state.adding, made._state.db)


def test_build_makes_the_instance_the_constructor_makes():
    firm, person, values = _values()
    built, made = build(Complaint, values), Complaint(**values)
    _same(built, made)
    assert built.firm is firm and built.complainant is person and built.firm_id == 7
    # A callable default is made afresh for each instance, as the constructor makes it.
    assert (
        built.deadline_rules == {}
        and built.deadline_rules is not build(Complaint, values).deadline_rules
    )
    _same(build(Complainant, {"firm": firm, "name": "Jo"}), Complainant(firm=firm, name="Jo"))


@pytest.mark.parametrize(
    "extra",
    [
        {"status": "closed"},  # the state machine's own (protected) descriptor
        {"firm_id": 8},  # the same key twice (by name and by attname)
        {"no_such_field": True},  # not a field
    ],
)
def test_what_build_does_not_know_is_left_to_the_constructor(extra):
    _firm, _person, values = _values()
    values |= extra
    if "no_such_field" in extra:
        with pytest.raises((TypeError, AttributeError)) as ours:
            build(Complaint, values)
        with pytest.raises((TypeError, AttributeError)) as django:
            Complaint(**values)
        assert (type(ours.value), str(ours.value)) == (type(django.value), str(django.value))
        return
    _same(build(Complaint, values), Complaint(**values))


def test_a_post_init_listener_still_hears_every_instance():
    heard = []

    def listen(sender, instance, **kwargs):
        heard.append(instance)

    post_init.connect(listen, sender=Complaint)
    try:
        built = build(Complaint, _values()[2])
    finally:
        post_init.disconnect(listen, sender=Complaint)
    assert heard == [built]


def test_a_fresh_default_behind_a_descriptor_is_left_to_the_constructor():
    """A default made per instance but stored by the field's own descriptor (here a state
    machine's) cannot be copied: every instance is Django's own."""
    with isolate_apps("common"):

        class Machine(models.Model):
            state = FSMField(default=lambda: "s" + str(len(made)))

            class Meta:
                app_label = "common"

            def __str__(self) -> str:
                return self.state

        made: list[Machine] = []
        for _ in range(2):
            made.append(build(Machine, {}))
    assert [m.state for m in made] == ["s0", "s1"]


def test_a_related_object_is_set_as_its_descriptor_sets_it():
    """Without a database router the related objects are set without the descriptor's general
    path: each instance then names the same database as the constructor leaves it (the object
    given too), a None relation clears the key, and the object is cached."""
    firm = Firm(pk=7, name="Firm", frn="123456")
    firm._state.db = "default"
    ours, theirs = Complainant(name="Jo"), Complainant(name="Jo")
    built = build(Complaint, {"firm": firm, "complainant": ours, "owner": None})
    made = Complaint(firm=firm, complainant=theirs, owner=None)
    assert ours._state.db == theirs._state.db == built._state.db == made._state.db == "default"
    assert built._state.fields_cache == {"firm": firm, "complainant": ours, "owner": None}
    assert list(made._state.fields_cache) == ["firm", "complainant", "owner"]
    made._state.fields_cache["complainant"] = ours
    _same(built, made)
    assert built.owner_id is None and built.firm_id == 7


def test_a_relation_the_descriptor_refuses_is_refused_alike():
    firm, person, values = _values()
    for wrong in ({"complainant": firm}, {"firm": person}):
        with pytest.raises(ValueError) as ours:
            build(Complaint, values | wrong)
        with pytest.raises(ValueError) as django:
            Complaint(**(values | wrong))
        assert str(ours.value) == str(django.value)
    elsewhere = Complainant(name="Jo")
    elsewhere._state.db = "other"
    firm._state.db = "default"
    with pytest.raises(ValueError, match="router prevents"):
        build(Complaint, values | {"complainant": elsewhere})


class _Refusing:
    def allow_relation(self, obj1, obj2, **hints):
        return False


def test_a_database_router_is_asked_through_the_descriptor(monkeypatch):
    firm, _person, values = _values()
    monkeypatch.setattr(router, "routers", [_Refusing()])
    with pytest.raises(ValueError, match="router prevents"):
        build(Complaint, values)
    monkeypatch.setattr(router, "routers", [])
    assert build(Complaint, values).firm is firm
