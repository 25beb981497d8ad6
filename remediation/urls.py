from django.urls import path

from . import views

app_name = "remediation"

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("mi/<slug:table>.csv", views.dashboard_csv, name="dashboard_csv"),
    path("incidents/", views.incidents, name="incidents"),
    path("incidents/<int:pk>/", views.incident_detail, name="incident"),
    path("incidents/<int:pk>/edit/", views.incident_edit, name="incident_edit"),
    path("incidents/<int:pk>/link/", views.incident_link, name="incident_link"),
    path("incidents/<int:pk>/unlink/", views.incident_unlink, name="incident_unlink"),
    path("incidents/<int:pk>/bulk/", views.incident_bulk, name="incident_bulk"),
    path("bulk-runs/<int:pk>/", views.bulk_run, name="bulk_run"),
    path("root-causes/", views.root_causes, name="root_causes"),
    path("root-causes/<int:pk>/", views.root_cause_edit, name="root_cause_edit"),
    path("actions/", views.actions, name="actions"),
    path("actions/<int:pk>/", views.action_detail, name="action"),
    path("redress/", views.redress_ledger, name="ledger"),
    path("redress/<int:item_id>/step/", views.redress_step, name="redress_step"),
    path("complaints/<int:pk>/", views.complaint_page, name="complaint"),
    path("complaints/<int:pk>/redress/", views.redress_offer, name="redress_offer"),
    path("complaints/<int:pk>/no-redress/", views.no_redress, name="no_redress"),
    path("complaints/<int:pk>/root-causes/", views.root_cause_assign, name="root_cause_assign"),
    path(
        "complaints/<int:pk>/root-causes/<int:root_cause_id>/remove/",
        views.root_cause_remove,
        name="root_cause_remove",
    ),
    path("complaints/<int:pk>/incident/", views.complaint_incident, name="complaint_incident"),
]
