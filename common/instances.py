"""Model instances built from a row's values as ``Model.from_db`` builds them, with one dict
update instead of a ``setattr`` per field (issue 18).

``from_db`` calls ``Model.__init__``, which sends ``pre_init``, sets a fresh ``ModelState`` and
then each field's value by ``setattr`` (through the field's descriptor), then sends
``post_init``; a deferred read first lays the values out by a list scan per field. The API's
complaint detail builds eight instances a request (the token, its user, a membership and its
firm; the complaint, its firm, complainant and owner) and a list page about eighty: that was a
tenth of a detail's CPU. For a field whose descriptor only stores the value in the instance's
``__dict__`` on a new instance (Django's ``DeferredAttribute`` and ``ForeignKeyDeferredAttribute``)
the builder writes the ``__dict__`` directly; every other field (django-fsm's protected
``status``) is set by ``setattr`` as ``__init__`` sets it. A model with its own ``__init__``,
``from_db``, ``__new__`` or ``__setattr__``, and any build while a ``pre_init`` or ``post_init``
receiver is connected, goes through ``from_db`` itself. tests/common/test_instances.py compares
the instances both ways.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import partial
from operator import itemgetter
from typing import Any

from django.db.models import Model
from django.db.models.base import ModelState
from django.db.models.fields.related_descriptors import ForeignKeyDeferredAttribute
from django.db.models.query_utils import DeferredAttribute
from django.db.models.signals import post_init, pre_init

# The descriptors whose __set__ on a new instance is ``instance.__dict__[attname] = value``.
_STORES_IN_DICT = (DeferredAttribute, ForeignKeyDeferredAttribute)


def _descriptor(model: type[Model], name: str) -> Any:
    for klass in model.__mro__:
        if name in vars(klass):
            return vars(klass)[name]
    return None


def _builds_its_own_way(model: type[Model]) -> bool:
    return (
        model.__init__ is not Model.__init__
        or model.from_db.__func__ is not Model.from_db.__func__  # type: ignore[attr-defined]
        or model.__new__ is not object.__new__
        or model.__setattr__ is not object.__setattr__
    )


class InstanceBuilder:
    """``partial(model.from_db, fetch_mode=fetch_mode)`` for rows of the columns ``init_list``
    (attnames in the order selected, as Django's iterables pass them): called as
    ``builder(db, init_list, values)``."""

    def __init__(self, model: type[Model], init_list: Sequence[str], fetch_mode: Any) -> None:
        self.model, self.fetch_mode = model, fetch_mode
        fields = model._meta.concrete_fields
        if len(init_list) == len(fields):  # from_db's layout: all fields in their order
            names = [f.attname for f in fields]
        else:  # deferred: the selected ones, in the fields' order
            selected = set(init_list)
            names = [f.attname for f in fields if f.attname in selected]
        direct = [
            i for i, name in enumerate(names) if type(_descriptor(model, name)) in _STORES_IN_DICT
        ]
        self.direct_names = [names[i] for i in direct]
        self.pick = None if len(direct) == len(names) else _getter(direct)
        self.others = [(i, name) for i, name in enumerate(names) if i not in set(direct)]

    def __call__(self, db: str, init_list: Sequence[str], values: Sequence[Any]) -> Model:
        model = self.model
        if pre_init.receivers or post_init.receivers:
            return model.from_db(db, init_list, values, fetch_mode=self.fetch_mode)
        obj = model.__new__(model)
        state = ModelState()
        state.adding = False
        state.db = db
        if self.fetch_mode is not None:
            state.fetch_mode = self.fetch_mode
        attributes = obj.__dict__
        attributes["_state"] = state
        picked = values if self.pick is None else self.pick(values)
        attributes.update(zip(self.direct_names, picked, strict=True))
        for i, name in self.others:
            setattr(obj, name, values[i])
        return obj


def _getter(indexes: list[int]):
    if len(indexes) == 1:
        index = indexes[0]
        return lambda values: (values[index],)
    return itemgetter(*indexes) if indexes else lambda values: ()


def instance_builder(model: type[Model], init_list: Sequence[str], fetch_mode: Any):
    """An ``InstanceBuilder``, or ``from_db`` itself for a model that builds its own way."""
    if _builds_its_own_way(model):
        return partial(model.from_db, fetch_mode=fetch_mode)
    return InstanceBuilder(model, init_list, fetch_mode)
