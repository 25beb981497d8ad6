"""One shape for the API's actions: a POST on one object (a complaint, a FOS referral, a letter,
a redress item, a return's version, ...) that checks its body, calls the one service for the use
case with the object's id, the actor and the time, and answers with what the object (or the
service) now says.

An app declares each action as data (:class:`ApiAction`); :class:`ApiActions` builds the DRF
views, with their OpenAPI description, on the app's own base view (its access rule and the object
the URL names, ``scoped_object``), and routes them under one URL prefix. ``common`` knows no app:
permissions, serializers, services and how to render the answer come from the caller.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from contextlib import nullcontext
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.db import transaction
from django.urls import URLPattern, path
from django.utils import timezone
from drf_spectacular.utils import OpenApiExample, OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.parsers import BaseParser
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from .api import error_responses


@dataclass(frozen=True)
class ActionCall:
    """What an action's hooks see: the request, the object the URL names (the base view's
    ``scoped_object``), the URL's keywords and the time the request is handled at."""

    request: Request
    obj: Any
    kwargs: Mapping[str, Any]
    now: datetime


@dataclass(frozen=True)
class ApiAction:
    """``POST <object>/<path>/``: validate the body with ``input``, call ``service(<the object's
    id>, actor=, now=, **arguments)``, answer ``status`` with the rendered result."""

    path: str  # the URL segment after the object's, e.g. "accept"
    service: Callable[..., Any]
    summary: str
    input: type[serializers.Serializer[Any]] | None = None  # None: the action reads no body
    perm: Any = None  # the permission POST needs (the app's enum); None keeps the base view's
    description: str = ""
    examples: Sequence[OpenApiExample] = ()
    errors: tuple[int, ...] = (400, 403, 404, 409)
    operation_id: str = ""  # empty: drf-spectacular's, from the URL
    url_name: str = ""  # the URL name after the set's prefix; empty: ``path``
    status: int = 200
    document_input: bool = True  # False: the body is checked but the schema shows none
    parsers: Sequence[type[BaseParser]] = ()  # the body's media types; empty: the base view's
    # Runs before the body is read, e.g. a second permission in the object's firm.
    check: Callable[[ActionCall], None] | None = None
    # The service's keywords beyond the object's id, actor and now; default the validated body.
    arguments: Callable[[ActionCall, dict[str, Any]], dict[str, Any]] | None = None
    response: Any = None  # the schema of the answer; None: the set's
    render: Callable[[ActionCall, Any], Any] | None = None  # None: the set's
    # True: the service and the rendering of its answer share one transaction, so the answer is
    # the state the action left (its row lock is held until rendered), not a later writer's.
    atomic: bool = False


IdKeyword = str | Callable[[ActionCall], dict[str, Any]]


def action_post(
    action: ApiAction,
    *,
    id_keyword: IdKeyword,
    response: Any = None,
    render: Callable[[ActionCall, Any], Any] | None = None,
    tags: list[str] | None = None,
    parameters: Sequence[OpenApiParameter] = (),
    examples: Sequence[OpenApiExample] = (),
) -> Callable[..., Response]:
    """The view's ``post`` for ``action`` (see :class:`ApiActions` for the keywords; the action's
    own ``response`` and ``render`` come first). For a view that also answers GET, e.g. a
    collection under its object that the action adds to: ``post = action_post(...)``."""
    ids = id_keyword if callable(id_keyword) else _id_of(id_keyword)
    answer = action.render or render
    assert answer is not None, f"{action.path}: say how to render the answer"

    @extend_schema(
        operation_id=action.operation_id or None,
        summary=action.summary,
        description=action.description or None,
        parameters=list(parameters) or None,
        request=action.input if action.document_input else None,
        responses={action.status: action.response or response, **error_responses(*action.errors)},
        examples=[*action.examples, *examples] or None,
        tags=tags,
    )
    def post(view: APIView, request: Request, **kwargs: Any) -> Response:
        call = ActionCall(request, view.scoped_object, kwargs, timezone.now())  # type: ignore[attr-defined]
        names = ids(call)
        if action.check is not None:
            action.check(call)
        data: dict[str, Any] = {}
        if action.input is not None:
            body = action.input(data=request.data)
            body.is_valid(raise_exception=True)
            data = dict(body.validated_data)
        arguments = action.arguments(call, data) if action.arguments else data
        with transaction.atomic() if action.atomic else nullcontext():
            result = action.service(**names, actor=request.user, now=call.now, **arguments)
            out = answer(call, result)
        return out if isinstance(out, Response) else Response(out, status=action.status)

    return post


def _id_of(keyword: str) -> Callable[[ActionCall], dict[str, Any]]:
    return lambda call: {keyword: call.obj.pk}


class ApiActions:
    """The actions on one kind of object and what they share, each a view of its own.

    - ``base``: the app's view class naming the object (``scoped_model``) and its access rule.
    - ``id_keyword``: the keyword the services take the object's id under, or a function giving
      the keywords that name the object (run before the body is read, so a bad URL is a 404
      before a bad body is a 400).
    - ``response``/``render``: the answer's schema, and ``render(call, the service's result)``
      giving its body (or a whole ``Response``, e.g. to set headers).
    - ``tags``, ``parameters``, ``examples``: OpenAPI extras every action documents.
    """

    def __init__(
        self,
        actions: Iterable[ApiAction],
        *,
        base: type[APIView],
        id_keyword: IdKeyword,
        response: Any,
        render: Callable[[ActionCall, Any], Any],
        name: str = "",
        tags: list[str] | None = None,
        parameters: Sequence[OpenApiParameter] = (),
        examples: Sequence[OpenApiExample] = (),
    ) -> None:
        self.actions = {action.path: action for action in actions}
        self.views: dict[str, type[APIView]] = {}
        for p, action in self.actions.items():
            attrs: dict[str, Any] = {
                "__module__": base.__module__,
                "post": action_post(
                    action,
                    id_keyword=id_keyword,
                    response=response,
                    render=render,
                    tags=tags,
                    parameters=parameters,
                    examples=examples,
                ),
            }
            if action.perm is not None:
                attrs["required_perm"] = {"POST": action.perm}
            if action.parsers:
                attrs["parser_classes"] = list(action.parsers)
            camel = "".join(part.title() for part in p.replace("_", "-").split("-"))
            self.views[p] = type(f"{name}{camel}View", (base,), attrs)

    def urls(self, route: str, name: str) -> list[URLPattern]:
        """``route + "<path>/"`` named ``name + "<url_name>"`` for each action."""
        return [
            path(f"{route}{p}/", view.as_view(), name=name + (self.actions[p].url_name or p))
            for p, view in self.views.items()
        ]
