from django.urls import include, path

from .views import actions, dashboard, incidents, panel, redress, root_causes

app_name = "remediation"

# One incident's page and what it posts.
_INCIDENT = [
    path("", incidents.detail, name="incident"),
    path("edit/", incidents.edit, name="incident_edit"),
    path("link/", incidents.link, name="incident_link"),
    path("unlink/", incidents.unlink, name="incident_unlink"),
    path("bulk/", incidents.bulk, name="incident_bulk"),
]
# The remediation panel of one complaint, on a page of its own, and what it posts.
_COMPLAINT = [
    path("", panel.complaint_page, name="complaint"),
    path("redress/", redress.offer, name="redress_offer"),
    path("no-redress/", redress.no_redress, name="no_redress"),
    path("root-causes/", root_causes.assign, name="root_cause_assign"),
    path("root-causes/<int:root_cause_id>/remove/", root_causes.remove, name="root_cause_remove"),
    path("incident/", incidents.from_panel, name="complaint_incident"),
]

urlpatterns = [
    path("", dashboard.dashboard, name="dashboard"),
    path("mi/<slug:table>.csv", dashboard.dashboard_csv, name="dashboard_csv"),
    path("incidents/", incidents.index, name="incidents"),
    path("incidents/<int:pk>/", include(_INCIDENT)),
    path("bulk-runs/<int:pk>/", incidents.bulk_run, name="bulk_run"),
    path("root-causes/", root_causes.taxonomy, name="root_causes"),
    path("root-causes/<int:pk>/", root_causes.edit, name="root_cause_edit"),
    path("actions/", actions.register, name="actions"),
    path("actions/<int:pk>/", actions.detail, name="action"),
    path("redress/", redress.ledger, name="ledger"),
    path("redress/<int:item_id>/step/", redress.step, name="redress_step"),
    path("complaints/<int:pk>/", include(_COMPLAINT)),
]
