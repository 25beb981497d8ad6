"""common.negotiation: the API's content negotiation picks what DRF's picks for every request,
the plain JSON ones without parsing, everything else (and every refusal) by DRF's steps."""

from __future__ import annotations

import pytest
from django.http import Http404
from rest_framework import exceptions
from rest_framework.negotiation import DefaultContentNegotiation
from rest_framework.renderers import BrowsableAPIRenderer, JSONRenderer
from rest_framework.request import Request
from rest_framework.settings import api_settings
from rest_framework.test import APIRequestFactory

from common.negotiation import ApiContentNegotiation

ACCEPTS = [
    None,
    "*/*",
    "application/json",
    "",
    "text/html",
    "application/json; indent=4",
    "application/json;q=0.5, text/html",
    "application/*",
    "application/xml",
    " application/json",
]


def _choice(negotiation, renderers, accept, query="", suffix=None):
    headers = {} if accept is None else {"HTTP_ACCEPT": accept}
    request = Request(APIRequestFactory().get(f"/api/complaints/1/{query}", **headers))
    try:
        renderer, media_type = negotiation.select_renderer(request, renderers, suffix)
    except (exceptions.NotAcceptable, Http404) as refused:  # 404: a suffix no renderer has
        return type(refused)
    return renderers.index(renderer), media_type


@pytest.mark.parametrize("accept", ACCEPTS)
@pytest.mark.parametrize(
    "query,suffix", [("", None), ("?format=api", None), ("?x=1", None), ("", "json"), ("", "api")]
)
def test_the_same_renderer_and_media_type_as_drf(accept, query, suffix):
    renderers = [JSONRenderer(), BrowsableAPIRenderer()]
    assert _choice(ApiContentNegotiation(), renderers, accept, query, suffix) == _choice(
        DefaultContentNegotiation(), renderers, accept, query, suffix
    )


def test_a_first_renderer_other_than_json_goes_drfs_way():
    renderers = [BrowsableAPIRenderer(), JSONRenderer()]
    for accept in ACCEPTS:
        assert _choice(ApiContentNegotiation(), renderers, accept) == _choice(
            DefaultContentNegotiation(), renderers, accept
        )


def test_the_plain_json_request_is_not_parsed(monkeypatch):
    """Given Accept: application/json, no query string and no suffix, when negotiated, then the
    JSON renderer is picked without DRF's header parsing."""

    def refuse(*args, **kwargs):
        raise AssertionError("parsed")

    monkeypatch.setattr(DefaultContentNegotiation, "_get_parsed_accept_list", refuse)
    renderers = [JSONRenderer(), BrowsableAPIRenderer()]
    for accept in (None, "*/*", "application/json"):
        assert _choice(ApiContentNegotiation(), renderers, accept) == (0, "application/json")
    with pytest.raises(AssertionError):
        _choice(ApiContentNegotiation(), renderers, "text/html")


def test_the_api_negotiates_with_it():
    assert api_settings.DEFAULT_CONTENT_NEGOTIATION_CLASS is ApiContentNegotiation
