"""/api/remediation/...: outcomes, the redress ledger, root causes and incidents."""

from django.urls import path

from . import api

urlpatterns = [
    path(
        "remediation/complaints/<int:pk>/outcome/",
        api.OutcomeView.as_view(),
        name="api-remediation-outcome",
    ),
    path(
        "remediation/complaints/<int:pk>/redress/",
        api.ComplaintRedressView.as_view(),
        name="api-remediation-complaint-redress",
    ),
    path(
        "remediation/complaints/<int:pk>/root-causes/",
        api.ComplaintRootCauseView.as_view(),
        name="api-remediation-complaint-root-causes",
    ),
    path(
        "remediation/complaints/<int:pk>/root-causes/<int:root_cause_id>/",
        api.ComplaintRootCauseDeleteView.as_view(),
        name="api-remediation-complaint-root-cause",
    ),
    path("remediation/redress/", api.RedressListView.as_view(), name="api-remediation-redress"),
    path(
        "remediation/redress/<int:pk>/",
        api.RedressDetailView.as_view(),
        name="api-remediation-redress-item",
    ),
    path(
        "remediation/redress/<int:pk>/accept/",
        api.RedressAcceptView.as_view(),
        name="api-remediation-redress-accept",
    ),
    path(
        "remediation/redress/<int:pk>/decline/",
        api.RedressDeclineView.as_view(),
        name="api-remediation-redress-decline",
    ),
    path(
        "remediation/redress/<int:pk>/pay/",
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
        "remediation/incidents/<int:pk>/",
        api.IncidentDetailView.as_view(),
        name="api-remediation-incident",
    ),
    path(
        "remediation/incidents/<int:pk>/complaints/",
        api.IncidentComplaintsView.as_view(),
        name="api-remediation-incident-complaints",
    ),
    path(
        "remediation/incidents/<int:pk>/link/",
        api.IncidentLinkView.as_view(),
        name="api-remediation-incident-link",
    ),
    path(
        "remediation/incidents/<int:pk>/unlink/",
        api.IncidentUnlinkView.as_view(),
        name="api-remediation-incident-unlink",
    ),
    path(
        "remediation/incidents/<int:pk>/bulk-assign/",
        api.IncidentBulkAssignView.as_view(),
        name="api-remediation-incident-bulk-assign",
    ),
    path(
        "remediation/incidents/<int:pk>/bulk-acknowledge/",
        api.IncidentBulkAcknowledgeView.as_view(),
        name="api-remediation-incident-bulk-acknowledge",
    ),
]
