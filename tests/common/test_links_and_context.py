"""Per-page helpers of issue 18: links to many rows reversed once, context worked out once per
request."""

from __future__ import annotations

from django.contrib.auth.models import AnonymousUser
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


def test_a_processor_runs_again_for_a_user_signed_in_during_the_request(django_user_model):
    @once_per_request
    def processor(request):
        return {"user": getattr(request.user, "pk", None)}

    request = RequestFactory().get("/")
    request.user = AnonymousUser()
    assert processor(request) == {"user": None}
    request.user = django_user_model(pk=7, username="signed-in")
    assert processor(request) == {"user": 7}
