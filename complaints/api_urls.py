from django.urls import path

from .api.actions import ACTION_VIEWS
from .api.complaints import ComplaintDetail, ComplaintHistory, ComplaintListCreate
from .api.deadlines import DeadlineCalculator

urlpatterns = [
    path("complaints/", ComplaintListCreate.as_view(), name="api-complaints"),
    path("complaints/<int:pk>/", ComplaintDetail.as_view(), name="api-complaint-detail"),
    path("complaints/<int:pk>/history/", ComplaintHistory.as_view(), name="api-complaint-history"),
    *[
        path(f"complaints/<int:pk>/{name}/", view.as_view(), name=f"api-complaint-{name}")
        for name, view in ACTION_VIEWS.items()
    ],
    path("deadlines/", DeadlineCalculator.as_view(), name="api-deadlines"),
]
