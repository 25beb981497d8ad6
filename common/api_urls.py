"""The OpenAPI schema and the browsable docs (Swagger UI with local assets, no CDN).

Signed-in users only (a session or an API token): they describe the endpoints, not any firm's
data, so no role is needed, but the API surface is not advertised to the public internet.
"""

from django.urls import path
from drf_spectacular.views import SpectacularAPIView, SpectacularRedocView, SpectacularSwaggerView
from rest_framework.permissions import IsAuthenticated

SIGNED_IN = [IsAuthenticated]

urlpatterns = [
    path("schema/", SpectacularAPIView.as_view(permission_classes=SIGNED_IN), name="api-schema"),
    path(
        "docs/",
        SpectacularSwaggerView.as_view(url_name="api-schema", permission_classes=SIGNED_IN),
        name="api-docs",
    ),
    path(
        "redoc/",
        SpectacularRedocView.as_view(url_name="api-schema", permission_classes=SIGNED_IN),
        name="api-redoc",
    ),
]
