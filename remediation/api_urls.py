"""/api/remediation/...: outcomes, the redress ledger, root causes and incidents."""

from django.urls import path

from complaints.api import converters  # noqa: F401 - registers the "anyid" path converter

from . import api

urlpatterns = [
    path(
        "remediation/complaints/<anyid:pk>/outcome/",
        api.OutcomeView.as_view(),
        name="api-remediation-outcome",
    ),
    path(
        "remediation/complaints/<anyid:pk>/redress/",
        api.ComplaintRedressView.as_view(),
        name="api-remediation-complaint-redress",
    ),
    path(
        "remediation/complaints/<anyid:pk>/root-causes/",
        api.ComplaintRootCauseView.as_view(),
        name="api-remediation-complaint-root-causes",
    ),
    path(
        "remediation/complaints/<anyid:pk>/root-causes/<anyid:root_cause_id>/",
        api.ComplaintRootCauseDeleteView.as_view(),
        name="api-remediation-complaint-root-cause",
    ),
    path("remediation/redress/", api.RedressListView.as_view(), name="api-remediation-redress"),
    path(
        "remediation/redress/<anyid:pk>/",
        api.RedressDetailView.as_view(),
        name="api-remediation-redress-item",
    ),
    path(
        "remediation/redress/<anyid:pk>/accept/",
        api.RedressAcceptView.as_view(),
        name="api-remediation-redress-accept",
    ),
    path(
        "remediation/redress/<anyid:pk>/decline/",
        api.RedressDeclineView.as_view(),
        name="api-remediation-redress-decline",
    ),
    path(
        "remediation/redress/<anyid:pk>/pay/",
        api.RedressPayView.as_view(),
        name="api-remediation-redress-pay",
    ),
    path(
        "remediation/root-causes/",
        api.RootCauseListView.as_view(),
        name="api-remediation-root-causes",
    ),
    path(
        "remediation/incidents/", api.IncidentListView.as_view(), name="api-remediation-incidents"
    ),
    path(
        "remediation/incidents/<anyid:pk>/",
        api.IncidentDetailView.as_view(),
        name="api-remediation-incident",
    ),
    path(
        "remediation/incidents/<anyid:pk>/complaints/",
        api.IncidentComplaintsView.as_view(),
        name="api-remediation-incident-complaints",
    ),
    path(
        "remediation/incidents/<anyid:pk>/link/",
        api.IncidentLinkView.as_view(),
        name="api-remediation-incident-link",
    ),
    path(
        "remediation/incidents/<anyid:pk>/unlink/",
        api.IncidentUnlinkView.as_view(),
        name="api-remediation-incident-unlink",
    ),
    path(
        "remediation/incidents/<anyid:pk>/bulk-assign/",
        api.IncidentBulkAssignView.as_view(),
        name="api-remediation-incident-bulk-assign",
    ),
    path(
        "remediation/incidents/<anyid:pk>/bulk-acknowledge/",
        api.IncidentBulkAcknowledgeView.as_view(),
        name="api-remediation-incident-bulk-acknowledge",
    ),
]
