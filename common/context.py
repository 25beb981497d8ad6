"""Template context shared by every page."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.http import HttpRequest

Processor = Callable[[HttpRequest], dict[str, Any]]


def once_per_request(processor: Processor) -> Processor:
    """The context processor run once per request and user, its result kept on the request: a
    page that renders parts with the request (the complaint page's panels) would run it per
    part. Keyed by the user too, so a request that signs someone in sees them."""
    name = f"{processor.__module__}.{processor.__qualname__}"

    @wraps(processor)
    def run(request: HttpRequest) -> dict[str, Any]:
        kept = request.__dict__.setdefault("_context_kept", {})
        key = (name, getattr(getattr(request, "user", None), "pk", None))
        if key not in kept:
            kept[key] = processor(request)
        return kept[key]

    return run
