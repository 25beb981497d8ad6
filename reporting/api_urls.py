"""/api/reporting/...: SUP 16.34 periods, snapshots and returns."""

from django.urls import path

from complaints.api import converters  # noqa: F401 - registers the "anyid" path converter

from . import api, api_items, api_jobs

urlpatterns = [
    path(
        "reporting/firms/<anyid:firm_id>/periods/",
        api.PeriodsView.as_view(),
        name="reporting-periods",
    ),
    path(
        "reporting/firms/<anyid:firm_id>/snapshots/",
        api.SnapshotsView.as_view(),
        name="reporting-snapshots",
    ),
    path(
        "reporting/firms/<anyid:firm_id>/snapshots/nil/",
        api.NilDeclarationView.as_view(),
        name="reporting-snapshot-nil",
    ),
    path(
        "reporting/snapshots/<anyid:pk>/",
        api.SnapshotDetailView.as_view(),
        name="reporting-snapshot",
    ),
    path("reporting/jobs/<anyid:pk>/", api_jobs.SnapshotJobView.as_view(), name="reporting-job"),
    path(
        "reporting/jobs/<anyid:pk>/cancel/",
        api_jobs.SnapshotJobCancelView.as_view(),
        name="reporting-job-cancel",
    ),
    path(
        "reporting/firms/<anyid:firm_id>/returns/",
        api.ReturnsView.as_view(),
        name="reporting-returns",
    ),
    path("reporting/returns/<anyid:pk>/", api.ReturnDetailView.as_view(), name="reporting-return"),
    path(
        "reporting/returns/<anyid:pk>/versions/<anyid:number>/",
        api.VersionDetailView.as_view(),
        name="reporting-version",
    ),
    path(
        "reporting/returns/<anyid:pk>/versions/<anyid:number>/items/",
        api_items.ItemsView.as_view(),
        name="reporting-items",
    ),
    *api.VERSION_ACTIONS.urls(
        "reporting/returns/<anyid:pk>/versions/<anyid:number>/", "reporting-"
    ),
    path(
        "reporting/returns/<anyid:pk>/versions/<anyid:number>/export/<anyid:fmt>/",
        api.ExportView.as_view(),
        name="reporting-export",
    ),
]
