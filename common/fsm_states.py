"""django-fsm-2 in migration states: no transition receiver per rendered model.

``FSMField.contribute_to_class`` connects a ``class_prepared`` receiver for every field instance,
and every model a migration renders gets fresh field instances. The receivers are weak, but the
rendered models sit in reference cycles, so they outlive their migration: a migrate from nothing
ends with about a thousand of them, each called for every model class created after it. That
was about 60% of ``migrate``'s CPU (46 of 75 s on SQLite).

The receiver collects a model's ``@transition`` methods. Models rendered from migration states
have fields and managers, never methods, so there is nothing to collect: the receiver is
disconnected again for any model outside the project's app registry. Real models keep it.

Reading a state is a plain read where the instance holds it (``fast_state_reads``): django-fsm
reads a ``FSMField`` by building a Django ``DeferredAttribute`` for the field and calling its
``__get__`` on every read (``FSMFieldMixin.get_state``, through ``FSMFieldDescriptor.__get__``),
and ``DeferredAttribute.__get__`` answers ``instance.__dict__[field.attname]`` when the instance
holds it, fetching the field from the database first only when it does not (deferred). Judging
a register row reads its complaint's state about nine times (guards, transitions, deadlines):
the same answer from the instance's dict, the original path for a deferred field.
"""

from __future__ import annotations

from typing import Any

from django.apps import apps as project_apps
from django.db.models.signals import class_prepared
from django_fsm import FSMField, FSMFieldDescriptor, FSMFieldMixin

_original = FSMFieldMixin.contribute_to_class


def _contribute_to_class(self: Any, cls: Any, name: str, *args: Any, **kwargs: Any) -> None:
    _original(self, cls, name, *args, **kwargs)
    if cls._meta.apps is not project_apps:
        class_prepared.disconnect(self._collect_transitions)


def no_receivers_for_migration_states() -> None:
    """Install the disconnect on every FSM field (``CommonConfig.ready``); idempotent."""
    FSMFieldMixin.contribute_to_class = _contribute_to_class  # type: ignore[method-assign]


_original_get_state = FSMField.get_state
_original_read = FSMFieldDescriptor.__get__


def _get_state(self: Any, instance: Any) -> Any:
    try:
        return instance.__dict__[self.attname]
    except KeyError:  # deferred: django-fsm's own read fetches it
        return _original_get_state(self, instance)


def _read(self: Any, instance: Any, owner: Any = None) -> Any:
    if instance is not None and type(self.field) is FSMField:
        try:
            return instance.__dict__[self.field.attname]
        except KeyError:
            pass
    return _original_read(self, instance, owner)


def fast_state_reads() -> None:
    """A plain ``FSMField``'s state read from the instance's dict when it is there (the
    module's docstring; ``CommonConfig.ready``); idempotent. A subclass of ``FSMField`` keeps
    its own reads."""
    FSMField.get_state = _get_state  # type: ignore[method-assign]
    FSMFieldDescriptor.__get__ = _read  # type: ignore[method-assign,assignment]
