from django.urls import path

from . import sign_in_views, views

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
    path("sign-in/", sign_in_views.sign_in_page, name="sign_in"),
    path(
        "sign-in/members/<int:membership_id>/reset-two-factor/",
        sign_in_views.reset_two_factor,
        name="reset_two_factor",
    ),
]
