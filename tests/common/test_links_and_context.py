"""Per-page helpers of issue 18: links to many rows reversed once, context worked out once per
request."""

from __future__ import annotations

from django.test import RequestFactory
from django.urls import reverse

from common.context import once_per_request
from common.links import pk_links


def test_pk_links_give_what_reverse_gives():
    detail = pk_links("complaints:detail")
    for pk in (1, 42, 987_654_321, 10**12):
        assert detail(pk) == reverse("complaints:detail", args=[pk])


def test_a_processor_runs_once_per_request():
    calls = []

    @once_per_request
    def processor(request):
        calls.append(request)
        return {"n": len(calls)}

    first, second = RequestFactory().get("/"), RequestFactory().get("/")
    assert processor(first) == processor(first) == {"n": 1}
    assert processor(second) == {"n": 2}
    assert calls == [first, second]
