from django.urls import path

from .views import actions, dashboard, incidents, panel, redress, root_causes

app_name = "remediation"

urlpatterns = [
    path("", dashboard.dashboard, name="dashboard"),
    path("mi/<slug:table>.csv", dashboard.dashboard_csv, name="dashboard_csv"),
    path("mi/complaints/<slug:tile>/", dashboard.tile, name="mi_complaints"),
    path("incidents/", incidents.index, name="incidents"),
    path("incidents/<int:pk>/", incidents.detail, name="incident"),
    path("incidents/<int:pk>/edit/", incidents.edit, name="incident_edit"),
    path("incidents/<int:pk>/link/", incidents.link, name="incident_link"),
    path("incidents/<int:pk>/unlink/", incidents.unlink, name="incident_unlink"),
    path("incidents/<int:pk>/bulk/", incidents.bulk, name="incident_bulk"),
    path("bulk-runs/<int:pk>/", incidents.bulk_run, name="bulk_run"),
    path("root-causes/", root_causes.taxonomy, name="root_causes"),
    path("root-causes/<int:pk>/", root_causes.edit, name="root_cause_edit"),
    path("actions/", actions.register, name="actions"),
    path("actions/<int:pk>/", actions.detail, name="action"),
    path("redress/", redress.ledger, name="ledger"),
    path("redress/<int:item_id>/step/", redress.step, name="redress_step"),
    path("complaints/<int:pk>/", panel.complaint_page, name="complaint"),
    path("complaints/<int:pk>/redress/", redress.offer, name="redress_offer"),
    path("complaints/<int:pk>/no-redress/", redress.no_redress, name="no_redress"),
    path("complaints/<int:pk>/root-causes/", root_causes.assign, name="root_cause_assign"),
    path(
        "complaints/<int:pk>/root-causes/<int:root_cause_id>/remove/",
        root_causes.remove,
        name="root_cause_remove",
    ),
    path("complaints/<int:pk>/incident/", incidents.from_panel, name="complaint_incident"),
]
