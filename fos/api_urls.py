from django.urls import path

from complaints.api import converters  # noqa: F401 - registers the "anyid" path converter

from . import api

urlpatterns = [
    path("fos/referrals/", api.ReferralListCreate.as_view(), name="fos-referrals"),
    path("fos/referrals/<anyid:pk>/", api.ReferralDetail.as_view(), name="fos-referral"),
    path(
        "fos/referrals/<anyid:pk>/deadlines/",
        api.ReferralDeadlines.as_view(),
        name="fos-referral-deadlines",
    ),
    path(
        "fos/referrals/<anyid:pk>/case-file/", api.CaseFile.as_view(), name="fos-referral-case-file"
    ),
    *api.REFERRAL_ACTIONS.urls("fos/referrals/<anyid:pk>/", "fos-referral-"),
    path("fos/deadlines/", api.OpenDeadlines.as_view(), name="fos-deadlines"),
    *api.DEADLINE_ACTIONS.urls("fos/deadlines/<anyid:pk>/", "fos-deadline-"),
    path("fos/fees/ledger/", api.FeeLedger.as_view(), name="fos-fee-ledger"),
]
