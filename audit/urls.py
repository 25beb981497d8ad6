from django.urls import path

from . import views

app_name = "audit"

urlpatterns = [
    path("", views.index, name="index"),
    path("chains/", views.chain_status, name="chains"),
    path("complaints/<int:complaint_id>/", views.complaint_audit, name="complaint"),
    path(
        "complaints/<int:complaint_id>/audit.csv", views.complaint_audit_csv, name="complaint_csv"
    ),
    path(
        "complaints/<int:complaint_id>/audit.pdf", views.complaint_audit_pdf, name="complaint_pdf"
    ),
    path("users/<int:user_id>/", views.user_activity_view, name="user_activity"),
]
