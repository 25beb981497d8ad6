"""The query-count guard that issue 18 asks of every page and API list: a read issues the same
queries at 2 rows and at 6, and shows every row (so a guard cannot pass on an empty page)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.db import connection
from django.test.utils import CaptureQueriesContext


def count_get(client, url: str, params: dict | None = None) -> tuple[int, Any]:
    """The queries one GET issues, and its response (which must be a 200)."""
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url, params or {})
    assert response.status_code == 200, (url, response.content[:500])
    return len(ctx.captured_queries), response


def same_at_2_and_6(
    client,
    url: str,
    add: Callable[[int, int], object],
    shown: Callable[[Any, int], None],
    params: dict | None = None,
) -> None:
    """``add(start, stop)`` adds rows ``start``..``stop - 1`` to what ``url`` lists;
    ``shown(response, n)`` checks that the response shows all ``n`` of them."""
    add(0, 2)
    client.get(url, params or {})  # warm the session, user caches and token's last use
    small, response = count_get(client, url, params)
    shown(response, 2)
    add(2, 6)
    large, response = count_get(client, url, params)
    shown(response, 6)
    assert large == small
