from django.urls import path

from complaints.api import converters  # noqa: F401 - registers the "anyid" path converter

from .api import ComplaintListCreate
from .api_jobs import RegisterJobCancelView, RegisterJobView

urlpatterns = [
    path("complaints/", ComplaintListCreate.as_view(), name="api-complaints"),
    path("imports/jobs/<anyid:pk>/", RegisterJobView.as_view(), name="api-import-job"),
    path(
        "imports/jobs/<anyid:pk>/cancel/",
        RegisterJobCancelView.as_view(),
        name="api-import-job-cancel",
    ),
]
