from django.urls import path

from complaints.api import converters  # noqa: F401 - registers the "anyid" path converter

from . import api

urlpatterns = [
    path("complaints/<anyid:pk>/evidence/", api.EvidenceList.as_view(), name="api-evidence"),
    path(
        "complaints/<anyid:pk>/evidence/<anyid:evidence_id>/download/",
        api.EvidenceDownload.as_view(),
        name="api-evidence-download",
    ),
]
