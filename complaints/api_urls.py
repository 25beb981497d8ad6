"""The complaints REST API: thin views over complaints.services, scoped by complaints.access."""

from django.urls import path

from .api import converters  # noqa: F401 - registers the "anyid" path converter
from .api.actions import ACTIONS
from .api.adjustments import ComplaintAdjustments
from .api.calendar import BankHolidays
from .api.complaints import ComplaintDetail, ComplaintHistory
from .api.dataprotection import ACTIONS as DATA_PROTECTION_ACTIONS
from .api.dataprotection import DataProtectionDetail
from .api.deadlines import DeadlineCalculator
from .api.representatives import RepresentativeAuthority, RepresentativeEnd, RepresentativeList
from .api.tasks import ACTIONS as TASK_ACTIONS
from .api.tasks import ComplaintTasks, TaskDetail

urlpatterns = [
    path("complaints/<anyid:pk>/", ComplaintDetail.as_view(), name="api-complaint-detail"),
    path(
        "complaints/<anyid:pk>/history/", ComplaintHistory.as_view(), name="api-complaint-history"
    ),
    path(
        "complaints/<anyid:pk>/adjustments/",
        ComplaintAdjustments.as_view(),
        name="api-complaint-adjustments",
    ),
    path(
        "complaints/<anyid:pk>/representatives/",
        RepresentativeList.as_view(),
        name="api-representatives",
    ),
    path(
        "complaints/<anyid:pk>/representatives/<anyid:rep>/authority/",
        RepresentativeAuthority.as_view(),
        name="api-representative-authority",
    ),
    path(
        "complaints/<anyid:pk>/representatives/<anyid:rep>/end/",
        RepresentativeEnd.as_view(),
        name="api-representative-end",
    ),
    path("complaints/<anyid:pk>/tasks/", ComplaintTasks.as_view(), name="api-complaint-tasks"),
    path("tasks/<anyid:pk>/", TaskDetail.as_view(), name="api-task"),
    *TASK_ACTIONS.urls("tasks/<anyid:pk>/", "api-task-"),
    *ACTIONS.urls("complaints/<anyid:pk>/", "api-complaint-"),
    path(
        "complaints/<anyid:pk>/data-protection/",
        DataProtectionDetail.as_view(),
        name="api-complaint-data-protection",
    ),
    *DATA_PROTECTION_ACTIONS.urls(
        "complaints/<anyid:pk>/data-protection/", "api-complaint-data-protection-"
    ),
    path("deadlines/", DeadlineCalculator.as_view(), name="api-deadlines"),
    path("bank-holidays/", BankHolidays.as_view(), name="api-bank-holidays"),
]
