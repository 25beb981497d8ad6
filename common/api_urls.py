"""The OpenAPI schema and the browsable docs (Swagger UI with local assets, no CDN).

No ReDoc: its bundle fetches a logo from its CDN at run time, and the app makes no network
calls (the CSP browser test caught it).

Signed-in users only (a session or an API token): they describe the endpoints, not any firm's
data, so no role is needed, but the API surface is not advertised to the public internet.
"""

from django.urls import path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework.permissions import IsAuthenticated

SIGNED_IN = [IsAuthenticated]

urlpatterns = [
    path("schema/", SpectacularAPIView.as_view(permission_classes=SIGNED_IN), name="api-schema"),
    path(
        "docs/",
        SpectacularSwaggerSplitView.as_view(url_name="api-schema", permission_classes=SIGNED_IN),
        name="api-docs",
    ),
]
