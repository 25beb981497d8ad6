from django.urls import include, path

from . import job_views, views

app_name = "reporting"

# One version of a return: its figures' drill-down, its actions and its exports.
_VERSION = [
    path("items/<str:metric>/", views.return_items, name="return_items"),
    *(
        path(f"{name}/", views.version_action_view(name), name=f"return_{name}")
        for name in views.VERSION_ACTIONS
    ),
    path("export.<str:fmt>", views.return_export, name="return_export"),
]

urlpatterns = [
    path("", views.returns, name="returns"),
    path("firms/<int:firm_id>/", views.dashboard, name="dashboard"),
    path("firms/<int:firm_id>/returns/compute/", views.compute, name="compute"),
    path("firms/<int:firm_id>/snapshots/upload/", views.snapshot_upload, name="snapshot_upload"),
    path("firms/<int:firm_id>/snapshots/nil/", views.snapshot_nil, name="snapshot_nil"),
    path("snapshots/<int:pk>/", views.snapshot_detail, name="snapshot_detail"),
    path("jobs/<int:pk>/", job_views.job_detail, name="job_detail"),
    path("jobs/<int:pk>/status/", job_views.job_status, name="job_status"),
    path("jobs/<int:pk>/cancel/", job_views.job_cancel, name="job_cancel"),
    path("imports/rejected/<int:pk>/", views.rejection_detail, name="rejection_detail"),
    path("imports/rejected/<int:pk>/errors.csv", views.rejection_errors, name="rejection_errors"),
    path("returns/<int:pk>/", views.return_detail, name="return_detail"),
    path("returns/<int:pk>/v<int:number>/", include(_VERSION)),
]
