"""The API's content negotiation: DRF's, with the usual request answered without parsing.

Nearly every API request asks for JSON (``Accept: application/json``, ``*/*`` or no header) with
no ``format`` override, and DRF's negotiation then picks its first renderer, JSON, every time;
it still parsed the header into media types, built the query string's ``QueryDict`` and ranked
them per request (about 30 µs of a complaint detail's CPU, issue 18). Those requests get the
same answer here directly; any other header, a query string or a format suffix goes DRF's way.
"""

from __future__ import annotations

from rest_framework.negotiation import DefaultContentNegotiation
from rest_framework.renderers import JSONRenderer

# The Accept headers (None: none sent) DRF answers with its first renderer's own media type when
# that is JSON. An empty header is not one: DRF refuses it (406).
PLAIN_JSON_ACCEPTS = frozenset({None, "*/*", "application/json"})


class ApiContentNegotiation(DefaultContentNegotiation):
    def select_renderer(self, request, renderers, format_suffix=None):
        meta = getattr(request, "_request", request).META
        first = renderers[0] if renderers else None
        if (
            format_suffix is None
            and not meta.get("QUERY_STRING")
            and meta.get("HTTP_ACCEPT") in PLAIN_JSON_ACCEPTS
            and type(first) is JSONRenderer
        ):
            return first, first.media_type
        return super().select_renderer(request, renderers, format_suffix)
