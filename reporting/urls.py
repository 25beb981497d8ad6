from django.urls import path

from . import views

app_name = "reporting"

urlpatterns = [
    path("", views.returns, name="returns"),
    path("firms/<int:firm_id>/", views.dashboard, name="dashboard"),
    path("firms/<int:firm_id>/returns/compute/", views.compute, name="compute"),
    path("firms/<int:firm_id>/snapshots/upload/", views.snapshot_upload, name="snapshot_upload"),
    path("snapshots/<int:pk>/", views.snapshot_detail, name="snapshot_detail"),
    path("imports/rejected/<int:pk>/", views.rejection_detail, name="rejection_detail"),
    path("imports/rejected/<int:pk>/errors.csv", views.rejection_errors, name="rejection_errors"),
    path("returns/<int:pk>/", views.return_detail, name="return_detail"),
    path(
        "returns/<int:pk>/v<int:number>/items/<str:metric>/",
        views.return_items,
        name="return_items",
    ),
    path("returns/<int:pk>/v<int:number>/approve/", views.return_approve, name="return_approve"),
    path("returns/<int:pk>/v<int:number>/submit/", views.return_submit, name="return_submit"),
    path(
        "returns/<int:pk>/v<int:number>/export.<str:fmt>",
        views.return_export,
        name="return_export",
    ),
]
