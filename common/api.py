"""API conventions every app follows.

- One error shape: ``{"code": ..., "message": ..., "fields": {...}}`` with codes from an enum per
  app (``complaints.errors.ErrorCode``, ...). Domain errors from services map to it directly.
- Page-number pagination with a stable order (views order by a unique key last).
- ISO 8601 dates and date-times (settings.REST_FRAMEWORK).
- Objects are fetched through ``complaints.access``: another firm's object is a 404.
"""

from __future__ import annotations

from functools import cache, cached_property

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import Http404
from drf_spectacular.utils import OpenApiResponse, inline_serializer
from rest_framework import exceptions, serializers
from rest_framework.pagination import PageNumberPagination
from rest_framework.response import Response

from common.errors import DomainError


class ApiCode:
    VALIDATION = "validation_error"
    NOT_FOUND = "not_found"
    NOT_AUTHENTICATED = "not_authenticated"
    PERMISSION_DENIED = "permission_denied"
    METHOD_NOT_ALLOWED = "method_not_allowed"
    UNSUPPORTED_MEDIA_TYPE = "unsupported_media_type"
    NOT_ACCEPTABLE = "not_acceptable"
    THROTTLED = "throttled"
    PARSE_ERROR = "parse_error"
    ERROR = "error"


def _flatten(detail) -> dict[str, list[str]]:
    if isinstance(detail, dict):
        out: dict[str, list[str]] = {}
        for key, value in detail.items():
            if isinstance(value, dict):
                for sub, msgs in _flatten(value).items():
                    out[f"{key}.{sub}"] = msgs
            elif isinstance(value, list):
                msgs = []
                for i, item in enumerate(value):
                    if isinstance(item, dict):
                        for sub, sub_msgs in _flatten(item).items():
                            out[f"{key}[{i}].{sub}"] = sub_msgs
                    else:
                        msgs.append(str(item))
                if msgs:
                    out[key] = msgs
            else:
                out[key] = [str(value)]
        return out
    if isinstance(detail, list):
        return {"non_field_errors": [str(d) for d in detail]}
    return {"non_field_errors": [str(detail)]}


_CODES = {
    exceptions.NotAuthenticated: ApiCode.NOT_AUTHENTICATED,
    exceptions.AuthenticationFailed: ApiCode.NOT_AUTHENTICATED,
    exceptions.PermissionDenied: ApiCode.PERMISSION_DENIED,
    exceptions.NotFound: ApiCode.NOT_FOUND,
    exceptions.MethodNotAllowed: ApiCode.METHOD_NOT_ALLOWED,
    exceptions.UnsupportedMediaType: ApiCode.UNSUPPORTED_MEDIA_TYPE,
    exceptions.NotAcceptable: ApiCode.NOT_ACCEPTABLE,
    exceptions.Throttled: ApiCode.THROTTLED,
    exceptions.ParseError: ApiCode.PARSE_ERROR,
}


def exception_handler(exc, context):
    """Render every error in the one shape. Unknown exceptions propagate (a real 500)."""
    if isinstance(exc, DomainError):
        return Response(exc.as_dict(), status=exc.http_status)
    if isinstance(exc, Http404):
        exc = exceptions.NotFound()
    elif isinstance(exc, DjangoPermissionDenied):
        exc = exceptions.PermissionDenied()
    if isinstance(exc, exceptions.ValidationError):
        fields = _flatten(exc.detail)
        first = next(iter(fields.items()), ("", ["Invalid input."]))
        message = f"{first[0]}: {first[1][0]}" if first[0] != "non_field_errors" else first[1][0]
        body = {"code": ApiCode.VALIDATION, "message": message, "fields": fields}
        return Response(body, status=400)
    if isinstance(exc, exceptions.APIException):
        code = next((c for cls, c in _CODES.items() if isinstance(exc, cls)), ApiCode.ERROR)
        headers = {}
        # Set by DRF on authentication failures, and on throttling respectively.
        auth_header = getattr(exc, "auth_header", None)
        wait = getattr(exc, "wait", None)
        if auth_header:
            headers["WWW-Authenticate"] = auth_header
        if wait:
            headers["Retry-After"] = str(int(wait))
        body = {"code": code, "message": str(exc.detail), "fields": {}}
        return Response(body, status=exc.status_code, headers=headers)
    return None


class StandardPagination(PageNumberPagination):
    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 200

    def paginate_queryset(self, queryset, request, view=None):
        # A page that does not exist is bad input, not a missing resource.
        try:
            return super().paginate_queryset(queryset, request, view)
        except exceptions.NotFound as exc:
            raise exceptions.ValidationError({self.page_query_param: [str(exc.detail)]}) from None


class BoundedCountPaginator(Paginator):
    """Counts at most ``limit`` rows (``SELECT COUNT(*)`` over a ``LIMIT`` subquery), so the
    count costs the same at a thousand rows as at a million; pages reach the first ``limit``."""

    limit = 10_000

    def __init__(self, object_list, per_page, *args, counted: QuerySet | None = None, **kwargs):
        """``counted``: the rows to count when ``object_list`` is not a QuerySet (the handler's
        queue, which reads its pages by another route)."""
        super().__init__(object_list, per_page, *args, **kwargs)
        self.counted = object_list if counted is None else counted

    @cached_property
    def _counted(self) -> int:
        """Rows counted, one past ``limit`` when more match."""
        # Only the ids, in no order: an index-only scan that stops after ``limit + 1`` rows.
        bounded_count = getattr(self.counted, "bounded_count", None)
        if bounded_count is not None:  # rows read by another route (complaints' API list)
            return bounded_count(self.limit + 1)
        return self.counted.order_by().values("pk")[: self.limit + 1].count()

    @cached_property
    def count(self) -> int:
        return min(self._counted, self.limit)

    @property
    def count_exact(self) -> bool:
        return self._counted <= self.limit


class BoundedCountPagination(StandardPagination):
    """StandardPagination for lists that grow with the table (the complaints list): ``count``
    is exact up to ``BoundedCountPaginator.limit`` matches; beyond it, ``count`` is that limit,
    ``count_exact`` is false and the pages stop there (narrow with filters to reach the rest)."""

    django_paginator_class = BoundedCountPaginator

    def get_paginated_response(self, data) -> Response:
        assert self.page is not None
        paginator = self.page.paginator
        assert isinstance(paginator, BoundedCountPaginator)
        response = super().get_paginated_response(data)
        response.data["count_exact"] = paginator.count_exact
        return response

    def get_paginated_response_schema(self, schema: dict) -> dict:
        paginated = super().get_paginated_response_schema(schema)
        paginated["properties"]["count"]["description"] = (
            f"Matches, exact up to {BoundedCountPaginator.limit:,}; at most that."
        )
        paginated["properties"]["count_exact"] = {
            "type": "boolean",
            "description": f"False when more than {BoundedCountPaginator.limit:,} match: the "
            "pages stop there; narrow the filters to reach the rest.",
            "example": True,
        }
        paginated["required"] = [*paginated.get("required", []), "count_exact"]
        return paginated


def page_response(view, queryset, serializer_class) -> Response:
    """One page of ``queryset`` (StandardPagination) with each row rendered by
    ``serializer_class``, for APIViews that paginate by hand (``paginated`` documents it)."""
    paginator = StandardPagination()
    page = paginator.paginate_queryset(queryset, view.request, view=view)
    return paginator.get_paginated_response(serializer_class(page, many=True).data)


@cache
def paginated(serializer_class):
    """Schema of a page of ``serializer_class`` for views that paginate by hand."""
    name = serializer_class.__name__.removesuffix("Serializer")
    return inline_serializer(
        name=f"{name}Page",
        fields={
            "count": serializers.IntegerField(),
            "next": serializers.URLField(allow_null=True),
            "previous": serializers.URLField(allow_null=True),
            "results": serializer_class(many=True),
        },
    )


ErrorSerializer = inline_serializer(
    name="Error",
    fields={
        "code": serializers.CharField(help_text="Machine-readable code (an enum per app)."),
        "message": serializers.CharField(help_text="Human-readable explanation."),
        "fields": serializers.DictField(
            child=serializers.ListField(child=serializers.CharField()),
            help_text="Per-field messages for validation errors.",
        ),
        "rule": serializers.CharField(required=False, help_text="The DISP rule behind a refusal."),
    },
)


def error_responses(*statuses: int) -> dict[int, OpenApiResponse]:
    """``@extend_schema(responses={200: X, **error_responses(400, 404, 409)})``."""
    text = {
        400: "Invalid input: fields names each bad field and the reason.",
        401: "Not authenticated.",
        403: "Authenticated but the role does not allow this.",
        404: "Not found (or belongs to another firm).",
        409: "Conflict: the state machine or a DISP rule refuses, or the view is stale.",
    }
    return {s: OpenApiResponse(ErrorSerializer, description=text.get(s, "Error")) for s in statuses}


_STANDARD_ERRORS = {
    "400": "Invalid input: fields names each bad field and the reason.",
    "401": "Not authenticated.",
    "403": "Authenticated but the role does not allow this.",
    "404": "Not found (or belongs to another firm).",
}
_WRITE_ERRORS = {"409": "Conflict: the state machine or a rule refuses, or the view is stale."}


def document_error_responses(result, generator, request, public):
    """drf-spectacular post-processing hook: every operation documents the standard errors in
    the one error shape, so clients (and schemathesis) never meet an undocumented status."""
    schemas = result.setdefault("components", {}).setdefault("schemas", {})
    if "Error" not in schemas:
        schemas["Error"] = {
            "type": "object",
            "properties": {
                "code": {"type": "string"},
                "message": {"type": "string"},
                "fields": {
                    "type": "object",
                    "additionalProperties": {"type": "array", "items": {"type": "string"}},
                },
                "rule": {"type": "string"},
            },
            "required": ["code", "message", "fields"],
        }
    content = {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}
    for methods in result.get("paths", {}).values():
        for method, operation in methods.items():
            if not isinstance(operation, dict) or "responses" not in operation:
                continue
            errors = dict(_STANDARD_ERRORS)
            if method.lower() not in ("get", "head", "options"):
                errors.update(_WRITE_ERRORS)
            for status, description in errors.items():
                operation["responses"].setdefault(
                    status, {"description": description, "content": content}
                )
    return result


class BlankChoices(serializers.ModelSerializer):
    """A ModelSerializer whose read-only choice fields keep ``allow_blank`` from their model
    field (``blank=True``). DRF drops it for read-only fields, so the schema's enum left out the
    "" the body then carried (a FOS referral's ``end_kind`` before it ends); kept, drf-spectacular
    lists "" in the enum (ENUM_ADD_EXPLICIT_BLANK_NULL_CHOICE)."""

    def include_extra_kwargs(self, kwargs, extra_kwargs):
        blank = kwargs.get("allow_blank", False) and "choices" in kwargs
        kwargs = super().include_extra_kwargs(kwargs, extra_kwargs)
        if blank:
            kwargs["allow_blank"] = True
        return kwargs


# Mixin for input serializers validated on a hot path (the API create; issue 18). DRF deep-copies
# every declared field, with its choices and validators, for each instance (half of validating a
# create): here an instance validates with its class's fields, copied and bound once to a
# prototype instance. Validation reads its fields and never changes them; what it reads of the
# root (``partial``, the context) is the prototype's: not partial, no context, so only for
# serializers built with ``data=`` alone and no field that reads the context. (A comment, not a
# docstring: drf-spectacular would make it every subclass's description.)
class FieldsBoundOnce:
    @property
    def fields(self):
        cls = type(self)
        bound = cls.__dict__.get("_fields_bound_once")
        if bound is None:
            bound = serializers.Serializer.fields.func(cls())  # type: ignore[attr-defined]
            cls._fields_bound_once = bound  # type: ignore[attr-defined]
        return bound
