"""/api/remediation/...: outcomes, the redress ledger, root causes and incidents."""

from django.urls import path

from complaints.api import converters  # noqa: F401 - registers the "anyid" path converter

from .api import incidents, redress, root_causes

urlpatterns = [
    path(
        "remediation/complaints/<anyid:pk>/outcome/",
        redress.OutcomeView.as_view(),
        name="api-remediation-outcome",
    ),
    path(
        "remediation/complaints/<anyid:pk>/redress/",
        redress.ComplaintRedressView.as_view(),
        name="api-remediation-complaint-redress",
    ),
    path(
        "remediation/complaints/<anyid:pk>/root-causes/",
        root_causes.ComplaintRootCauseView.as_view(),
        name="api-remediation-complaint-root-causes",
    ),
    path(
        "remediation/complaints/<anyid:pk>/root-causes/<anyid:root_cause_id>/",
        root_causes.ComplaintRootCauseDeleteView.as_view(),
        name="api-remediation-complaint-root-cause",
    ),
    path("remediation/redress/", redress.RedressListView.as_view(), name="api-remediation-redress"),
    path(
        "remediation/redress/<anyid:pk>/",
        redress.RedressDetailView.as_view(),
        name="api-remediation-redress-item",
    ),
    *redress.STEPS.urls("remediation/redress/<anyid:pk>/", "api-remediation-redress-"),
    path(
        "remediation/root-causes/",
        root_causes.RootCauseListView.as_view(),
        name="api-remediation-root-causes",
    ),
    path(
        "remediation/incidents/",
        incidents.IncidentListView.as_view(),
        name="api-remediation-incidents",
    ),
    path(
        "remediation/incidents/<anyid:pk>/",
        incidents.IncidentDetailView.as_view(),
        name="api-remediation-incident",
    ),
    path(
        "remediation/incidents/<anyid:pk>/complaints/",
        incidents.IncidentComplaintsView.as_view(),
        name="api-remediation-incident-complaints",
    ),
    *incidents.ACTIONS.urls("remediation/incidents/<anyid:pk>/", "api-remediation-incident-"),
]
