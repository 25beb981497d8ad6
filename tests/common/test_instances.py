"""common.instances: an instance built from a row is the instance ``Model.from_db`` builds (its
field values, its state, its protected FSM field), for whole and deferred rows; a model that
builds its own way and a connected init signal go through ``from_db`` itself."""

from __future__ import annotations

from functools import partial

import pytest
from django.db import connection, models
from django.db.models.signals import post_init

from common.instances import InstanceBuilder, instance_builder
from complaints.choices import Status
from complaints.models import Complaint, Firm
from tests.factories import FirmFactory, london, make_complaint

pytestmark = pytest.mark.django_db


def _row(queryset):
    """The first row of ``queryset`` as Django's iterable hands it to ``from_db``: the selected
    attnames and their values."""
    compiler = queryset.query.get_compiler(using="default")
    results = list(compiler.results_iter(compiler.execute_sql()))
    select_fields = compiler.klass_info["select_fields"]
    start, stop = select_fields[0], select_fields[-1] + 1
    names = [f[0].target.attname for f in compiler.select[start:stop]]
    return names, tuple(results[0])[start:stop]


def _state(obj):
    return (obj._state.adding, obj._state.db, obj._state.fetch_mode)


def _same(built, expected):
    assert type(built) is type(expected)
    assert {k: v for k, v in vars(built).items() if k != "_state"} == {
        k: v for k, v in vars(expected).items() if k != "_state"
    }
    assert _state(built) == _state(expected)


@pytest.mark.parametrize("deferred", [(), ("description", "firm_id", "closed_at")])
def test_a_complaint_is_built_as_from_db_builds_it(deferred):
    """Given a complaint's row (whole, and with columns deferred), when built, then its
    attributes and state are from_db's, the deferred ones are read on access as from_db's are,
    and the protected status is set through its descriptor (it refuses a direct change)."""
    complaint = make_complaint(firm=FirmFactory(), received_at=london(2026, 3, 2, 10))
    names, values = _row(Complaint.objects.filter(pk=complaint.pk).defer(*deferred))
    fetch_mode = Complaint.objects.all()._fetch_mode
    built = InstanceBuilder(Complaint, names, fetch_mode)("default", names, values)
    expected = Complaint.from_db("default", names, values, fetch_mode=fetch_mode)
    _same(built, expected)
    assert built.status == complaint.status == Status.RECEIVED
    with pytest.raises(AttributeError):
        built.status = Status.CLOSED
    assert built.get_deferred_fields() == expected.get_deferred_fields()
    for name in deferred:
        assert getattr(built, name) == getattr(complaint, name)


def test_a_firm_without_a_fetch_mode_keeps_the_default_one():
    firm = FirmFactory()
    names, values = _row(Firm.objects.filter(pk=firm.pk))
    _same(
        InstanceBuilder(Firm, names, None)("default", names, values),
        Firm.from_db("default", names, values),
    )


def test_an_init_receiver_gets_what_from_db_sends():
    """Given a post_init receiver, when an instance is built, then it runs (from_db builds)."""
    firm = FirmFactory()
    names, values = _row(Firm.objects.filter(pk=firm.pk))
    seen = []

    def receiver(sender, instance, **kwargs):
        seen.append(instance)

    post_init.connect(receiver, sender=Firm)
    try:
        built = InstanceBuilder(Firm, names, None)(connection.alias, names, values)
    finally:
        post_init.disconnect(receiver, sender=Firm)
    assert seen == [built]


def test_a_model_with_its_own_init_is_built_by_its_from_db(monkeypatch):
    assert isinstance(instance_builder(Firm, ["id"], None), InstanceBuilder)

    def own_init(self, *args, **kwargs):
        models.Model.__init__(self, *args, **kwargs)

    monkeypatch.setattr(Firm, "__init__", own_init)
    builder = instance_builder(Firm, ["id"], None)
    assert isinstance(builder, partial)
    assert builder.func == Firm.from_db
