"""Template context shared by every page."""

from __future__ import annotations

from collections.abc import Callable, Hashable
from functools import wraps
from typing import Any

from django.http import HttpRequest

Processor = Callable[[HttpRequest], dict[str, Any]]


def per_request[T](request: HttpRequest, key: Hashable, build: Callable[[], T]) -> T:
    """``build()`` once per request and ``key``, its result kept on the request: what several
    parts of one page read (the complaint page and its panels) is read once."""
    kept = request.__dict__.setdefault("_context_kept", {})
    if key not in kept:
        kept[key] = build()
    return kept[key]


def once_per_request(processor: Processor) -> Processor:
    """The context processor run once per request and user, its result kept on the request: a
    page that renders parts with the request (the complaint page's panels) would run it per
    part. Keyed by the user too, so a request that signs someone in sees them."""
    name = f"{processor.__module__}.{processor.__qualname__}"

    @wraps(processor)
    def run(request: HttpRequest) -> dict[str, Any]:
        key = (name, getattr(getattr(request, "user", None), "pk", None))
        return per_request(request, key, lambda: processor(request))

    return run
