"""A model's fields from their values without the ORM's generality: checked as
``Model.clean_fields`` checks them without building (or ``full_clean``-ing) an instance, and an
instance built as ``Model(**values)`` builds it from a copy of its defaults. The register
import checks and builds tens of thousands of rows, and Django's general paths (every field
looked up, defaulted and set one by one) cost more than the work itself."""

from __future__ import annotations

import functools
import inspect
import re
from collections.abc import Callable, Mapping
from typing import Any, NamedTuple

from django.core.exceptions import ValidationError
from django.core.validators import EmailValidator, MaxLengthValidator
from django.db import DEFAULT_DB_ALIAS, models, router
from django.db.models.base import ModelState
from django.db.models.signals import post_init, pre_init


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
    for f, name, empty, by_choice, remembered, text in _checked(model, tuple(values)):
        raw = values[name]
        if empty and raw in empty:
            continue
        kind = type(raw)
        if text is not None and kind is str and raw and len(raw) <= text[0]:
            # What ``f.clean`` answers for this text when its other checks pass: itself
            # (``_text_checks``). When one refuses, ``f.clean`` reports it in its own words.
            try:
                for check in text[1]:
                    check(raw)
            except ValidationError:
                pass
            else:
                continue
        # A flag, or one of the field's choices, cleans the same way every time: remembered.
        key = (kind, raw) if kind is bool or (by_choice and kind is str) else None
        if key is not None and key in remembered:
            cleaned[name] = remembered[key]
            continue
        try:
            cleaned[name] = f.clean(raw, None)
        except ValidationError as exc:
            errors[name] = exc.error_list
        else:
            if key is not None:
                remembered[key] = cleaned[name]
    if errors:
        raise ValidationError(errors)
    return cleaned


# Django's EmailValidator patterns: each a ``_lazy_re_compile`` (a ``SimpleLazyObject``), so every
# ``match`` went through the lazy object's Python ``__getattribute__`` and ``__getattr__``: 4 of
# the 5.4 µs an address took to check (a register import checks one a row).
_EMAIL_PATTERNS = ("user_regex", "domain_regex", "literal_regex")
LAZY_EMAIL_PATTERNS: dict[str, Any] = {}  # Django's own, as they were


def compiled_email_patterns() -> None:
    """Django's ``EmailValidator`` class patterns compiled once (``CommonConfig.ready``;
    idempotent): the same patterns, matched directly (``tests/common/test_clean_values.py``)."""
    for name in _EMAIL_PATTERNS:
        lazy = getattr(EmailValidator, name)
        if type(lazy) is not re.Pattern:  # isinstance would ask the lazy object
            LAZY_EMAIL_PATTERNS[name] = lazy
            setattr(EmailValidator, name, re.compile(lazy.pattern, lazy.flags))


# (type, value) to what a field cleaned it to, for values of few kinds (flags, the field's own
# choices), one dict a field: bounded by the models' fields and choices.
_REMEMBERED: dict[models.Field, dict[tuple[type, Any], Any]] = {}


@functools.lru_cache(maxsize=256)
def _checked(
    model: type[models.Model], names: tuple[str, ...]
) -> list[
    tuple[models.Field, str, tuple[Any, ...], bool, dict[tuple[type, Any], Any], _Text | None]
]:
    """The fields of ``names`` that ``clean_values`` checks, in the model's order, each with its
    name, the values it skips (empty ones, when it may be blank), whether it has choices, what
    it was found to clean values to and its ``_text_checks``: found once for each model and set
    of names (a register import gives the same names on every row)."""
    given = set(names)
    return [
        (
            f,
            f.name,
            tuple(f.empty_values) if f.blank else (),
            bool(f.choices),
            _remembered(f),
            _text_checks(f),
        )
        for f in model._meta.fields
        if f.name in given and not f.generated
    ]


# A text field's max_length and its other validators, for ``clean_values``' quick way.
type _Text = tuple[int, tuple[Callable[[Any], None], ...]]


def _text_checks(f: models.Field) -> _Text | None:
    """``(max_length, the field's other validators)`` of a text field whose ``clean`` of a
    non-empty ``str`` answers the text itself when it is no longer than ``max_length`` and each
    other validator lets it pass (None for any other field). Django's own code (6.1) it reads
    so: ``Field.clean`` is ``to_python``, then ``validate``, then ``run_validators``;
    ``CharField.to_python`` returns a ``str`` as it is; ``Field.validate`` refuses a non-empty
    value only for ``choices`` (and checks nothing for a field that is not ``editable``);
    ``run_validators`` runs ``validators``, collecting what they raise: for a ``CharField`` with
    a ``max_length``, one ``MaxLengthValidator`` (``len`` compared with ``>``) and, for an
    ``EmailField``, the e-mail check. A field of any class that overrides one of those steps,
    or with choices, keeps ``clean`` (``tests/common/test_clean_values.py`` fails if Django's
    steps change). A complainant's name, e-mail and client reference, a complaint's external
    reference: half of checking a register row's complainant."""
    kind, limit = type(f), f.max_length
    plain = (
        isinstance(f, models.CharField)
        and kind.clean is models.Field.clean
        and kind.to_python is models.CharField.to_python
        and kind.validate is models.Field.validate
        and kind.run_validators is models.Field.run_validators
        and not f.choices
    )
    if not plain or not isinstance(limit, int) or limit <= 0:
        return None
    lengths = [v for v in f.validators if type(v) is MaxLengthValidator]
    if len(lengths) != 1 or lengths[0].limit_value != limit:
        return None
    return limit, tuple(v for v in f.validators if v is not lengths[0])


def _remembered(f: models.Field) -> dict[tuple[type, Any], Any]:
    return _REMEMBERED.setdefault(f, {})


class _Relation(NamedTuple):
    """A many-to-one field as its descriptor sets it: its attname, its cache's key, the model
    its object must be an instance of, and the (own attname, target attname) pairs it copies."""

    attname: str
    cache_name: str
    target: type[models.Model]
    pairs: tuple[tuple[str, str], ...]


@functools.cache
def _blueprint(
    model: type[models.Model],
) -> tuple[dict[str, Any], list[models.Field], frozenset[str], dict[str, _Relation]] | None:
    """What ``build`` copies for ``model``: the attributes of an instance Django built with no
    values (every default as the field's descriptor stores it, in field order), the fields
    whose default is made afresh for each instance (a callable, a database default), the
    attnames set straight into the instance (no descriptor of their own) and the related
    objects set as their descriptor sets them (by name). None when a default made afresh
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
        f.name: _relation(f)
        for f in model._meta.concrete_fields
        if isinstance(f, models.ForeignObject) and f.many_to_one and f.name != f.attname
    }
    return template, fresh, plain, related


def _relation(f: models.ForeignObject) -> _Relation:
    target = f.remote_field.model._meta.concrete_model
    assert target is not None
    pairs = tuple((lh.attname, rh.attname) for lh, rh in f.related_fields)
    return _Relation(f.attname, f.cache_name, target, pairs)


def _known(values: Mapping[str, Any], plain: frozenset[str], related: dict[str, _Relation]) -> bool:
    """Every name is a plain attname or a related object not also given by its attname."""
    for name in values:
        if name not in plain and (name not in related or related[name].attname in values):
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
        elif not _relate(instance, related[name], value):
            setattr(instance, name, value)
    return instance


def _relate(instance: models.Model, relation: _Relation, value: Any) -> bool:
    """What the many-to-one descriptor's ``__set__`` does on an instance just built (nothing
    cached, no object related before) when no database router is configured: each instance
    takes the other's database (or the default), the keys are copied and the object cached,
    without the descriptor's general path (the router's look-ups, two per object). False, with
    nothing set, for anything else: the descriptor itself then (its refusal, a router's say)."""
    if router.routers:
        return False
    state = instance._state
    if value is None:
        for attname, _target in relation.pairs:
            instance.__dict__[attname] = None
    elif isinstance(value, relation.target):
        db = state.db or value._state.db or DEFAULT_DB_ALIAS
        if value._state.db not in (None, db):
            return False  # the descriptor refuses a relation across databases
        state.db = value._state.db = db
        for attname, target in relation.pairs:
            instance.__dict__[attname] = getattr(value, target)
    else:
        return False
    state.fields_cache[relation.cache_name] = value
    return True
