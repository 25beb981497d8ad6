"""Input no request may carry past the fields: NUL bytes and absurd dates, refused in one place.

- **NUL (U+0000) in a query string.** PostgreSQL text cannot hold it, and a filter that passed it
  on answered 500 (``?status=%00`` on the redress list). ``RejectNulMiddleware`` answers 400 naming
  each such parameter before any view runs: the API's error shape under ``/api/``, Django's 400
  page elsewhere.
- **NUL in a JSON body.** ``JSONParser`` refuses it, naming the field's path (``complainant.name``,
  ``complaint_ids[0]``), whatever field the serializer has for it (DRF's own ``CharField`` checks
  only itself; a list, a dict or a view reading ``request.data`` directly would not).
- **Absurd dates.** Every Django form date/date-time field (pages and django-filter filters) and
  every DRF date/date-time field refuses a date outside 1 Jan 1900 – 31 Dec 2199 as a field
  error: a complaint received in year 10 was accepted, and a deadline asked for 31 Dec 9999
  overflowed into a 500. ``bound_dates`` installs the check once, from ``CommonConfig.ready``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import date, datetime
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.views import defaults
from rest_framework import exceptions, parsers, serializers

from .api import ApiCode
from .dates import uk_date

NUL = "\x00"
NUL_MESSAGE = "Null characters are not allowed."
EARLIEST = date(1900, 1, 1)
LATEST = date(2199, 12, 31)
DATE_MESSAGE = f"Enter a date from {uk_date(EARLIEST)} to {uk_date(LATEST)}."


def _shown(name: str) -> str:
    return name.replace(NUL, "\\0")


def nul_parameters(query: Any) -> list[str]:
    """The names of the query parameters whose name or any value holds a NUL byte."""
    return [
        _shown(key)
        for key, values in query.lists()
        if NUL in key or any(NUL in value for value in values)
    ]


class RejectNulMiddleware:
    """A NUL byte anywhere in the query string is a 400 naming the parameter."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        names = nul_parameters(request.GET)
        if not names:
            return self.get_response(request)
        fields = {name: [NUL_MESSAGE] for name in names}
        message = "; ".join(f"{name}: {NUL_MESSAGE}" for name in names)
        if request.path.startswith("/api/"):
            body = {"code": ApiCode.VALIDATION, "message": message, "fields": fields}
            return JsonResponse(body, status=400)
        return defaults.bad_request(request, exceptions.ValidationError(message))


def nul_paths(data: Any, prefix: str = "") -> Iterator[str]:
    """Field paths in parsed JSON whose key or text holds a NUL byte."""
    if isinstance(data, dict):
        for key, value in data.items():
            path = f"{prefix}.{_shown(str(key))}" if prefix else _shown(str(key))
            if NUL in str(key):
                yield path
            else:
                yield from nul_paths(value, path)
    elif isinstance(data, list):
        for i, value in enumerate(data):
            yield from nul_paths(value, f"{prefix}[{i}]")
    elif isinstance(data, str) and NUL in data:
        yield prefix or "non_field_errors"


class JSONParser(parsers.JSONParser):
    """DRF's JSON parser, refusing a NUL byte in any key or text as a field error."""

    def parse(self, stream, media_type=None, parser_context=None):
        data = super().parse(stream, media_type, parser_context)
        paths = list(nul_paths(data))
        if paths:
            raise exceptions.ValidationError({path: [NUL_MESSAGE] for path in paths})
        return data


def plausible_date(value: date | datetime | None) -> None:
    """Refuse a date (or date-time) outside 1 Jan 1900 – 31 Dec 2199."""
    if value is None:
        return
    day = value.date() if isinstance(value, datetime) else value
    if not EARLIEST <= day <= LATEST:
        raise ValidationError(DATE_MESSAGE, code="implausible_date")


def bound_dates() -> None:
    """Give every form and DRF date and date-time field the ``plausible_date`` check (Django and
    DRF both read a field class's ``default_validators``; DRF runs django ValidationErrors as
    field errors)."""
    field_classes: tuple[Any, ...] = (
        forms.DateField,
        forms.DateTimeField,
        serializers.DateField,
        serializers.DateTimeField,
    )
    for field_class in field_classes:
        existing = list(vars(field_class).get("default_validators", field_class.default_validators))
        if plausible_date not in existing:
            field_class.default_validators = [*existing, plausible_date]
