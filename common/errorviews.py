"""Project error handlers: under /api/ every error keeps the API's one shape, even when the URL
resolver itself answers (a path segment that is not an id, an unknown endpoint)."""

from django.http import JsonResponse
from django.views import defaults

from common.api import ApiCode


def _is_api(request) -> bool:
    return request.path.startswith("/api/")


def not_found(request, exception=None):
    if _is_api(request):
        return JsonResponse(
            {"code": ApiCode.NOT_FOUND, "message": "Not found.", "fields": {}}, status=404
        )
    return defaults.page_not_found(request, exception)


def server_error(request):
    if _is_api(request):
        return JsonResponse(
            {"code": ApiCode.ERROR, "message": "Internal server error.", "fields": {}}, status=500
        )
    return defaults.server_error(request)
