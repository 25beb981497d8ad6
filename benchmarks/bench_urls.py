"""The product's URLs plus the bare views the API throughput is measured against (issue 18).

A bare view is a plain Django function view doing the endpoint's database work with nothing
else: no DRF, no authentication, no serializer. It runs through the same middleware stack as the
product, so product/bare is the cost of the product's own code over the same request.
"""

from __future__ import annotations

from django.db import connection
from django.http import JsonResponse
from django.urls import path

from benchmarks import bare_create
from config.urls import handler404, handler500  # noqa: F401
from config.urls import urlpatterns as product_urlpatterns


def _rows(sql: str, params: list) -> list[dict]:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        names = [c.name for c in cursor.description]
        return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]


def bare_detail(request, pk: int):
    """The complaint row by primary key, as JSON."""
    rows = _rows("SELECT * FROM complaints_complaint WHERE id = %s", [pk])
    return JsonResponse(rows[0] if rows else {}, status=200 if rows else 404)


def bare_list(request, firm_id: int):
    """The firm's newest 20 complaint rows, as JSON."""
    rows = _rows(
        "SELECT * FROM complaints_complaint WHERE firm_id = %s "
        "ORDER BY received_at DESC, id DESC LIMIT 20",
        [firm_id],
    )
    return JsonResponse({"results": rows})


urlpatterns = [
    path("bench/detail/<int:pk>/", bare_detail),
    path("bench/list/<int:firm_id>/", bare_list),
    path("bench/complaints/insert/", bare_create.insert),
    *product_urlpatterns,
]
