"""Read serializers rendered by a plan built once per class (issue 18).

DRF's ``Serializer.to_representation`` walks ``self.fields`` (a deep copy of the declared fields
per instance) and calls each field's ``get_attribute`` and ``to_representation``; on a page of 20
complaints with three nested objects that dispatch was most of the rendering. ``Planned`` keeps
the same steps per field (the same ``get_attribute`` walk, the same ``None`` rule, the field's own
``to_representation``) but reads the readable fields once per class, from one instance built for
the purpose, so a row costs a loop over a tuple. The JSON is DRF's to the byte
(tests/api/test_representation_plan.py renders both ways).
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime, tzinfo
from typing import Any

from django.conf import settings
from django.core.exceptions import ObjectDoesNotExist
from django.utils import timezone
from rest_framework import ISO_8601, serializers
from rest_framework.fields import SkipField, get_attribute
from rest_framework.relations import PKOnlyObject
from rest_framework.settings import api_settings

_VALUE, _METHOD, _NESTED, _DATETIME, _BOOLEAN = range(5)
_DRF_DATETIME = serializers.DateTimeField
_RENDERABLE: set[type] = set()  # classes whose render() was checked for methods


def _plain_datetime(field: serializers.Field) -> bool:
    """A DateTimeField rendering as DRF's own does with the project's settings: no format or
    time zone of its own, no overridden rendering (its value then renders by ``_datetime``)."""
    kind: Any = type(field)
    return (
        isinstance(field, _DRF_DATETIME)
        and kind.to_representation is _DRF_DATETIME.to_representation
        and kind.enforce_timezone is _DRF_DATETIME.enforce_timezone
        and kind.default_timezone is _DRF_DATETIME.default_timezone
        and not hasattr(field, "format")
        and not hasattr(field, "timezone")
    )


def _plain_boolean(field: serializers.Field) -> bool:
    """A BooleanField rendering a bool as itself (DRF's does, after looking it up in its sets
    of true and false words): its rendering and sets not overridden."""
    return (
        type(field).to_representation is serializers.BooleanField.to_representation
        and True in field.TRUE_VALUES  # type: ignore[attr-defined]
        and False in field.FALSE_VALUES  # type: ignore[attr-defined]
        and False not in field.TRUE_VALUES  # type: ignore[attr-defined]
    )


def render_zone() -> tzinfo | None:
    """The zone a render's plain date-times are written in, looked up at most once per render
    (DRF's DateTimeField asks for the current time zone per value): None when DRF's rendering must
    run instead (no USE_TZ, or a DATETIME_FORMAT other than ISO 8601)."""
    output_format = api_settings.DATETIME_FORMAT
    if not settings.USE_TZ or output_format is None or output_format.lower() != ISO_8601:
        return None
    return timezone.get_current_timezone()


def _datetime(value: Any, zone: tzinfo | None, field: serializers.Field) -> Any:
    """``field.to_representation(value)`` for a plain DateTimeField: an aware datetime moved to
    ``zone`` and written in ISO 8601 with UTC as ``Z``; anything else by DRF's own steps."""
    if zone is None or type(value) is not datetime or value.utcoffset() is None:
        return field.to_representation(value)
    try:
        text = value.astimezone(zone).isoformat()
    except OverflowError:  # DRF's refusal, in its words
        return field.to_representation(value)
    return text[:-6] + "Z" if text.endswith("+00:00") else text


def _plan_of(cls) -> tuple[tuple[str, int, Any, serializers.Field, str | None], ...]:
    plan = cls.__dict__.get("_representation_plan")
    if plan is None:
        prototype = cls()
        steps: list[tuple[Any, int, Any, Any, str | None]] = []
        for field in prototype._readable_fields:
            name = field.field_name
            attrs = field.source_attrs
            attr = attrs[0] if len(attrs) == 1 else None  # "*" is attrs == []
            if isinstance(field, serializers.SerializerMethodField):
                steps.append((name, _METHOD, field.method_name, field, None))
            elif isinstance(field, Planned):
                steps.append((name, _NESTED, type(field), field, attr))
            elif _plain_datetime(field):
                steps.append((name, _DATETIME, None, field, attr))
            elif _plain_boolean(field):
                steps.append((name, _BOOLEAN, field.to_representation, field, attr))
            else:
                steps.append((name, _VALUE, field.to_representation, field, attr))
        plan = tuple(steps)
        cls._representation_plan = plan
    return plan


# A comment, not a docstring: drf-spectacular describes a serializer by the first docstring in
# its bases, and a mixin's must not become every planned serializer's description in the schema.
class Planned:
    # A planned serializer's own methods (SerializerMethodField) run on the instance rendering,
    # with its context; a planned serializer nested in another runs as its prototype field, so
    # its methods must not read the context (``represent`` gets the root's, to pass down).

    def to_representation(self, instance):
        return type(self).represent(instance, self.context, self)  # type: ignore[attr-defined]

    @classmethod
    def render(cls, instance, context: dict | None = None) -> dict[str, Any]:
        """``cls(instance, context=context).data`` as a dict, without building the serializer
        and its fields per instance: for a serializer with no SerializerMethodField of its own
        (a nested one's run as its prototype field)."""
        if cls not in _RENDERABLE:  # checked once per class, not per row
            assert all(kind != _METHOD for _, kind, *_ in _plan_of(cls)), cls
            _RENDERABLE.add(cls)
        return cls.represent(instance, context or {}, None)

    @classmethod
    def represent(
        cls, instance, context: dict, serializer: Any, zone: tzinfo | None | bool = False
    ) -> dict[str, Any]:
        """``instance`` as DRF's ``Serializer.to_representation`` renders it; ``context``: the
        root serializer's (for nested planned serializers); ``serializer``: whose methods a
        SerializerMethodField calls; ``zone``: ``render_zone()`` as a rendering further up
        looked it up, or False: looked up here on the first date-time to write (a deadline
        row or a firm's reference has none)."""
        ret: dict[str, Any] = {}
        mapping = isinstance(instance, Mapping)
        for name, kind, how, field, attr in _plan_of(cls):
            # DRF's ``get_attribute(instance, field.source_attrs)``; a field read from one
            # attribute that is not callable (nearly all) without its per-field ``Mapping``
            # and callable inspection, in this loop (a call per field was a tenth of it).
            try:
                if attr is None:
                    attribute = get_attribute(instance, field.source_attrs)
                else:
                    try:
                        attribute = instance[attr] if mapping else getattr(instance, attr)
                    except ObjectDoesNotExist:
                        attribute = None
                    if callable(attribute):
                        attribute = get_attribute(instance, field.source_attrs)
            except (KeyError, AttributeError):
                try:  # DRF's own handling: a default, None when nullable, or no key at all
                    attribute = field.get_attribute(instance)
                except SkipField:
                    continue
            if kind == _METHOD:
                ret[name] = getattr(serializer, how)(attribute)
                continue
            check_for_none = attribute.pk if isinstance(attribute, PKOnlyObject) else attribute
            if check_for_none is None:
                ret[name] = None
            elif kind == _DATETIME:
                if zone is False:
                    zone = render_zone()
                ret[name] = _datetime(attribute, zone, field)  # type: ignore[arg-type]
            elif kind == _BOOLEAN:
                ret[name] = attribute if type(attribute) is bool else how(attribute)
            elif kind == _NESTED:
                ret[name] = how.represent(attribute, context, field, zone)
            else:
                ret[name] = how(attribute)
        return ret
