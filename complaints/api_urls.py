from django.urls import path, register_converter

from .api.actions import ACTION_VIEWS
from .api.complaints import ComplaintDetail, ComplaintHistory, ComplaintListCreate
from .api.deadlines import DeadlineCalculator


class AnyIdConverter:
    """Any path segment: the view answers a malformed id with the API's JSON 404, rather than
    the URL resolver answering with an HTML page."""

    regex = "[^/]+"

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value) -> str:
        return str(value)


register_converter(AnyIdConverter, "anyid")

urlpatterns = [
    path("complaints/", ComplaintListCreate.as_view(), name="api-complaints"),
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
