"""Links to many rows of one kind on a page, reversed once."""

from __future__ import annotations

from collections.abc import Callable

from django.urls import reverse

_SENTINEL = 987_654_321


def pk_links(viewname: str) -> Callable[[int], str]:
    """``reverse(viewname, args=[pk])`` for a page of rows (a URL with one ``<int:...>``):
    reversed once, then each pk put in by string. A long list's ``{% url %}`` per row cost more
    than the rest of its rendering."""
    head, tail = reverse(viewname, args=[_SENTINEL]).split(str(_SENTINEL))
    return lambda pk: f"{head}{int(pk)}{tail}"
