"""/api/: every app's endpoints, listed here (the project's top layer knows every app)."""

from django.urls import include, path

urlpatterns = [
    path("", include(module))
    for module in (
        "common.api_urls",
        "intake.api_urls",  # POST /complaints/ with the list it extends
        "complaints.api_urls",
        "letters.api_urls",
        "remediation.api_urls",
        "fos.api_urls",
        "evidence.api_urls",
        "reporting.api_urls",
        "audit.api_urls",
    )
]
