"""Template context shared by every page."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.http import HttpRequest

Processor = Callable[[HttpRequest], dict[str, Any]]


def once_per_request(processor: Processor) -> Processor:
    """The context processor run once per request, its result kept on the request: a page that
    renders parts with the request (the complaint page's panels) would run it per part."""
    key = f"_context_{processor.__module__}.{processor.__qualname__}"

    @wraps(processor)
    def run(request: HttpRequest) -> dict[str, Any]:
        kept = request.__dict__.get(key)
        if kept is None:
            kept = request.__dict__[key] = processor(request)
        return kept

    return run
