from django.urls import path

from . import views

app_name = "fos"

urlpatterns = [
    path("", views.referral_list, name="referrals"),
    path("fees/", views.fee_ledger, name="fees"),
    path("mi/", views.mi, name="mi"),
    path("log/<int:complaint_pk>/", views.referral_log, name="log"),
    path("<int:pk>/", views.referral_detail, name="detail"),
    path("<int:pk>/action/<slug:action>/", views.referral_action, name="action"),
    path("<int:pk>/award/", views.referral_award, name="award"),
    path("<int:pk>/consent/", views.referral_consent, name="consent"),
    path("<int:pk>/chargeable/", views.referral_chargeable, name="chargeable"),
    path("<int:pk>/reference/", views.referral_reference, name="reference"),
    path("<int:pk>/checklist/", views.referral_checklist, name="checklist"),
    path("<int:pk>/deadlines/", views.deadline_add, name="deadline_add"),
    path("<int:pk>/case-file/", views.case_file, name="case_file"),
    path("deadlines/<int:pk>/done/", views.deadline_done, name="deadline_done"),
]
