"""The OpenAPI schema and the browsable docs (Swagger UI with local assets, no CDN).

Signed-in users only (a session or an API token): they describe the endpoints, not any firm's
data, so no role is needed, but the API surface is not advertised to the public internet.
"""

from typing import Any

from django.conf import settings
from django.urls import path
from django.utils.csp import CSP
from django.views.decorators.csp import csp_override
from drf_spectacular.views import (
    SpectacularAPIView,
    SpectacularRedocView,
    SpectacularSwaggerSplitView,
)
from rest_framework.permissions import IsAuthenticated

SIGNED_IN = [IsAuthenticated]

# ReDoc styles itself by writing <style> elements at run time (styled-components) and runs its
# search index in a worker it builds from a blob: that page alone may do both. Its scripts are
# still this site's static files only.
REDOC_CSP: dict[str, Any] = {
    **settings.SECURE_CSP,
    "style-src": [CSP.SELF, CSP.UNSAFE_INLINE],
    "worker-src": [CSP.SELF, "blob:"],
}

urlpatterns = [
    path("schema/", SpectacularAPIView.as_view(permission_classes=SIGNED_IN), name="api-schema"),
    path(
        "docs/",
        SpectacularSwaggerSplitView.as_view(url_name="api-schema", permission_classes=SIGNED_IN),
        name="api-docs",
    ),
    path(
        "redoc/",
        csp_override(REDOC_CSP)(
            SpectacularRedocView.as_view(url_name="api-schema", permission_classes=SIGNED_IN)
        ),
        name="api-redoc",
    ),
]
