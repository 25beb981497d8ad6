"""/api/reporting/...: SUP 16.34 periods, snapshots and returns."""

from django.urls import path

from . import api

urlpatterns = [
    path(
        "reporting/firms/<int:firm_id>/periods/",
        api.PeriodsView.as_view(),
        name="reporting-periods",
    ),
    path(
        "reporting/firms/<int:firm_id>/snapshots/",
        api.SnapshotsView.as_view(),
        name="reporting-snapshots",
    ),
    path(
        "reporting/snapshots/<int:pk>/", api.SnapshotDetailView.as_view(), name="reporting-snapshot"
    ),
    path(
        "reporting/firms/<int:firm_id>/returns/",
        api.ReturnsView.as_view(),
        name="reporting-returns",
    ),
    path("reporting/returns/<int:pk>/", api.ReturnDetailView.as_view(), name="reporting-return"),
    path(
        "reporting/returns/<int:pk>/versions/<int:number>/",
        api.VersionDetailView.as_view(),
        name="reporting-version",
    ),
    path(
        "reporting/returns/<int:pk>/versions/<int:number>/items/",
        api.ItemsView.as_view(),
        name="reporting-items",
    ),
    path(
        "reporting/returns/<int:pk>/versions/<int:number>/approve/",
        api.ApproveView.as_view(),
        name="reporting-approve",
    ),
    path(
        "reporting/returns/<int:pk>/versions/<int:number>/submit/",
        api.SubmitView.as_view(),
        name="reporting-submit",
    ),
    path(
        "reporting/returns/<int:pk>/versions/<int:number>/export/<str:fmt>/",
        api.ExportView.as_view(),
        name="reporting-export",
    ),
]
