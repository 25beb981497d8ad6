from django.urls import path

from .api import converters  # noqa: F401 - registers the "anyid" path converter
from .api.actions import ACTION_VIEWS
from .api.complaints import ComplaintDetail, ComplaintHistory
from .api.deadlines import DeadlineCalculator

urlpatterns = [
    path("complaints/<anyid:pk>/", ComplaintDetail.as_view(), name="api-complaint-detail"),
    path(
        "complaints/<anyid:pk>/history/", ComplaintHistory.as_view(), name="api-complaint-history"
    ),
    *[
        path(f"complaints/<anyid:pk>/{name}/", view.as_view(), name=f"api-complaint-{name}")
        for name, view in ACTION_VIEWS.items()
    ],
    path("deadlines/", DeadlineCalculator.as_view(), name="api-deadlines"),
]
