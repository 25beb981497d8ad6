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
    *(
        path(f"<int:pk>/{route}/", views.referral_action_view(action), name=name)
        for name, (route, action) in views.REFERRAL_ACTIONS.items()
    ),
    path("<int:pk>/case-file/", views.case_file, name="case_file"),
    path("deadlines/<int:pk>/done/", views.deadline_done, name="deadline_done"),
]
