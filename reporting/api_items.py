"""GET /api/reporting/returns/{id}/versions/{n}/items/: the complaints or clients behind a figure.

Complaint figures and metric 4 page by number over the items frozen with the version. Metric 3
(active clients, millions at a large exchange) pages by key: ``after`` is the last client ID of
the previous page and ``next`` carries it, so a late page costs what the first does, and
``count`` is the figure itself, never a ``COUNT`` (``selectors.active_clients_page``).
"""

from __future__ import annotations

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.response import Response
from rest_framework.utils.urls import remove_query_param, replace_query_param

from common.api import BlankChoices, StandardPagination, error_responses, page_response, paginated
from common.errors import ValidationFailed
from complaints.api.converters import path_int

from . import selectors
from .api import VersionScoped
from .choices import Metric
from .errors import ErrorCode
from .models import ReturnItem


class ItemSerializer(BlankChoices):
    class Meta:
        model = ReturnItem
        fields = ["metric", "complaint_id", "complaint_reference", "client_id"]


def _page_size(request) -> int:
    raw = request.query_params.get("page_size", "")
    if not raw:
        return StandardPagination.page_size
    if (
        not (raw.isascii() and raw.isdigit())
        or not 1 <= int(raw) <= StandardPagination.max_page_size
    ):
        message = f"A whole number from 1 to {StandardPagination.max_page_size}."
        raise ValidationFailed(
            ErrorCode.VALIDATION, f"page_size: {message}", fields={"page_size": [message]}
        )
    return int(raw)


def _after(request) -> str:
    after = request.query_params.get("after", "")
    if len(after) > 64 or "\x00" in after:
        message = "A client ID: at most 64 characters, no NUL."
        raise ValidationFailed(
            ErrorCode.VALIDATION, f"after: {message}", fields={"after": [message]}
        )
    return after


class ItemsView(VersionScoped):
    pagination_class = StandardPagination

    @extend_schema(
        summary="Drill-down: the complaints or clients behind a figure (frozen with the version)",
        description=(
            "Pages by number, except `active_clients`, which pages by key: follow `next` "
            "(it carries `after`, the last client ID of the page); `count` is the figure."
        ),
        parameters=[
            OpenApiParameter("metric", OpenApiTypes.STR, enum=Metric.values, required=True),
            OpenApiParameter("page", OpenApiTypes.INT),
            OpenApiParameter("page_size", OpenApiTypes.INT),
            OpenApiParameter(
                "after", OpenApiTypes.STR, description="active_clients: the clients after this ID"
            ),
        ],
        responses={200: paginated(ItemSerializer), **error_responses(400, 404)},
    )
    def get(self, request, pk: int, number: int):
        number = path_int(number)
        filing = self.scoped_object
        version = selectors.get_version_or_404(filing, number)
        metric = request.query_params.get("metric", "")
        if metric not in Metric.values:
            raise ValidationFailed(
                ErrorCode.VALIDATION,
                "metric: choose one of " + ", ".join(Metric.values),
                fields={"metric": [f"Choose one of {', '.join(Metric.values)}."]},
            )
        if metric != Metric.ACTIVE_CLIENTS:
            return page_response(self, selectors.version_items(version, metric), ItemSerializer)
        after = _after(request)
        page = selectors.active_clients_page(version, after, _page_size(request))
        url = request.build_absolute_uri()
        first = remove_query_param(remove_query_param(url, "after"), "page")
        return Response(
            {
                "count": page.count,
                "next": replace_query_param(first, "after", page.next_after)
                if page.next_after
                else None,
                "previous": first if page.has_previous else None,
                "results": ItemSerializer(page.object_list, many=True).data,
            }
        )
