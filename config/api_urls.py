"""/api/: each app contributes its endpoints through an optional ``api_urls`` module."""

from importlib import import_module
from importlib.util import find_spec

from django.urls import include, path

API_MODULES = [
    "common.api_urls",
    "complaints.api_urls",
    "letters.api_urls",
    "remediation.api_urls",
    "notifications.api_urls",
    "intake.api_urls",
    "fos.api_urls",
    "reporting.api_urls",
]

urlpatterns = [
    path("", include(import_module(name))) for name in API_MODULES if find_spec(name) is not None
]
