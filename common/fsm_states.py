"""django-fsm-2 in migration states: no transition receiver per rendered model.

``FSMField.contribute_to_class`` connects a ``class_prepared`` receiver for every field instance,
and every model a migration renders gets fresh field instances. The receivers are weak, but the
rendered models sit in reference cycles, so they outlive their migration: a migrate from nothing
ends with about a thousand of them, each called for every model class created after it. That
was about 60% of ``migrate``'s CPU (46 of 75 s on SQLite).

The receiver collects a model's ``@transition`` methods. Models rendered from migration states
have fields and managers, never methods, so there is nothing to collect: the receiver is
disconnected again for any model outside the project's app registry. Real models keep it.
"""

from __future__ import annotations

from typing import Any

from django.apps import apps as project_apps
from django.db.models.signals import class_prepared
from django_fsm import FSMFieldMixin

_original = FSMFieldMixin.contribute_to_class


def _contribute_to_class(self: Any, cls: Any, name: str, *args: Any, **kwargs: Any) -> None:
    _original(self, cls, name, *args, **kwargs)
    if cls._meta.apps is not project_apps:
        class_prepared.disconnect(self._collect_transitions)


def no_receivers_for_migration_states() -> None:
    """Install the disconnect on every FSM field (``CommonConfig.ready``); idempotent."""
    FSMFieldMixin.contribute_to_class = _contribute_to_class  # type: ignore[method-assign]
