"""A model's fields from their values without the ORM's generality: checked as
``Model.clean_fields`` checks them without building (or ``full_clean``-ing) an instance, and an
instance built as ``Model(**values)`` builds it from a copy of its defaults. The register
import checks and builds tens of thousands of rows, and Django's general paths (every field
looked up, defaulted and set one by one) cost more than the work itself."""

from __future__ import annotations

import functools
import inspect
from collections.abc import Mapping
from typing import Any

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models.base import ModelState
from django.db.models.signals import post_init, pre_init

# (field, type, value) to what the field cleaned it to, for values of few kinds (flags, the
# field's own choices): bounded by the models' fields and choices.
_CLEANED: dict[tuple[models.Field, type, Any], Any] = {}


def clean_values(model: type[models.Model], values: Mapping[str, Any]) -> dict[str, Any]:
    """``values`` (by field name) cleaned by their model fields as ``Model.clean_fields`` cleans
    them: in the model's field order, an empty value skipped where the field may be blank, each
    other value through the field's own ``clean`` (conversion, choices, required, validators
    such as ``max_length`` and the e-mail check). Raises the same ``ValidationError`` (messages
    under each field's name). Fields not in ``values`` are not checked: the caller leaves them at
    their defaults, which are valid. No model-level ``clean``, unique or constraint checks: use
    it only for models with none of those over the fields given."""
    cleaned = dict(values)
    errors: dict[str, list[ValidationError]] = {}
    for f in _checked(model, tuple(values)):
        raw = values[f.name]
        if f.blank and raw in f.empty_values:
            continue
        kind = type(raw)
        # A flag, or one of the field's choices, cleans the same way every time: remembered.
        key = (f, kind, raw) if kind is bool or (kind is str and f.choices) else None
        if key is not None and key in _CLEANED:
            cleaned[f.name] = _CLEANED[key]
            continue
        try:
            cleaned[f.name] = f.clean(raw, None)
        except ValidationError as exc:
            errors[f.name] = exc.error_list
        else:
            if key is not None:
                _CLEANED[key] = cleaned[f.name]
    if errors:
        raise ValidationError(errors)
    return cleaned


@functools.lru_cache(maxsize=256)
def _checked(model: type[models.Model], names: tuple[str, ...]) -> list[models.Field]:
    """The fields of ``names`` that ``clean_values`` checks, in the model's order: found once
    for each model and set of names (a register import gives the same names on every row)."""
    given = set(names)
    return [f for f in model._meta.fields if f.name in given and not f.generated]


@functools.cache
def _blueprint(
    model: type[models.Model],
) -> tuple[dict[str, Any], list[models.Field], frozenset[str], dict[str, str]] | None:
    """What ``build`` copies for ``model``: the attributes of an instance Django built with no
    values (every default as the field's descriptor stores it, in field order), the fields
    whose default is made afresh for each instance (a callable, a database default), the
    attnames set straight into the instance (no descriptor of their own) and the related
    objects set through their descriptor (name to attname). None when a default made afresh
    for each instance is stored through a descriptor of its own: Django's constructor then."""
    blank = vars(model())
    template = {name: value for name, value in blank.items() if name != "_state"}
    plain = frozenset(
        f.attname
        for f in model._meta.concrete_fields
        if not hasattr(type(inspect.getattr_static(model, f.attname, None)), "__set__")
    )
    fresh = [
        f
        for f in model._meta.concrete_fields
        if (f.has_default() and callable(f.default)) or f.has_db_default()
    ]
    if any(f.attname not in plain for f in fresh):
        return None
    related = {
        f.name: f.attname
        for f in model._meta.concrete_fields
        if f.is_relation and f.many_to_one and f.name != f.attname
    }
    return template, fresh, plain, related


def _known(values: Mapping[str, Any], plain: frozenset[str], related: dict[str, str]) -> bool:
    """Every name is a plain attname or a related object not also given by its attname."""
    for name in values:
        if name not in plain and (name not in related or related[name] in values):
            return False
    return True


def build[M: models.Model](model: type[M], values: Mapping[str, Any]) -> M:
    """``model(**values)``: the same instance (the same attributes in the same order; related
    objects given by name set and cached by their descriptor; a fresh default for each field
    whose default is made per instance), from a copy of the model's defaults instead of
    Django's field-by-field constructor. Whatever else it does not know (a property, a field
    with a descriptor of its own such as a protected state machine, a callable default behind
    one, an unknown or doubled name) or a model someone listens to ``pre_init``/``post_init``
    for: Django's constructor itself."""
    blueprint = _blueprint(model)
    if blueprint is None:
        return model(**values)
    template, fresh, plain, related = blueprint
    if not _known(values, plain, related) or (
        (pre_init.receivers or post_init.receivers)
        and (pre_init.has_listeners(model) or post_init.has_listeners(model))
    ):
        return model(**values)
    instance = model.__new__(model)
    instance._state = ModelState()
    attributes = instance.__dict__
    attributes.update(template)
    for f in fresh:
        if f.attname not in values and f.name not in values:
            attributes[f.attname] = f.get_default()
    for name, value in values.items():
        if name in plain:
            attributes[name] = value
        else:
            setattr(instance, name, value)
    return instance
