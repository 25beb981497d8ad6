"""Checking a few of a model's fields from their values, as ``Model.clean_fields`` checks them,
without building (or ``full_clean``-ing) an instance: the register import checks tens of
thousands of rows, and building a model to check the four fields a row gives costs more than the
checks themselves."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.core.exceptions import ValidationError
from django.db import models


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
    for f in model._meta.fields:
        if f.name not in values or f.generated:
            continue
        raw = values[f.name]
        if f.blank and raw in f.empty_values:
            continue
        try:
            cleaned[f.name] = f.clean(raw, None)
        except ValidationError as exc:
            errors[f.name] = exc.error_list
    if errors:
        raise ValidationError(errors)
    return cleaned
