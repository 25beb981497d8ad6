from django.urls import path

from complaints.api import converters  # noqa: F401 - registers the "anyid" path converter

from . import api

urlpatterns = [
    path("fos/referrals/", api.ReferralListCreate.as_view(), name="fos-referrals"),
    path("fos/referrals/<anyid:pk>/", api.ReferralDetail.as_view(), name="fos-referral"),
    path("fos/referrals/<anyid:pk>/award/", api.AwardView.as_view(), name="fos-referral-award"),
    path(
        "fos/referrals/<anyid:pk>/consent/", api.ConsentView.as_view(), name="fos-referral-consent"
    ),
    path(
        "fos/referrals/<anyid:pk>/chargeable-date/",
        api.ChargeableView.as_view(),
        name="fos-referral-chargeable",
    ),
    path(
        "fos/referrals/<anyid:pk>/reference/",
        api.ReferenceView.as_view(),
        name="fos-referral-reference",
    ),
    path(
        "fos/referrals/<anyid:pk>/checklist/",
        api.ChecklistView.as_view(),
        name="fos-referral-checklist",
    ),
    path(
        "fos/referrals/<anyid:pk>/deadlines/",
        api.ReferralDeadlines.as_view(),
        name="fos-referral-deadlines",
    ),
    path(
        "fos/referrals/<anyid:pk>/case-file/", api.CaseFile.as_view(), name="fos-referral-case-file"
    ),
    *(
        path(
            f"fos/referrals/<anyid:pk>/{action.replace('_', '-')}/",
            view.as_view(),
            name=f"fos-referral-{action.replace('_', '-')}",
        )
        for action, view in api.ACTION_VIEWS.items()
    ),
    path("fos/deadlines/", api.OpenDeadlines.as_view(), name="fos-deadlines"),
    path(
        "fos/deadlines/<anyid:pk>/complete/",
        api.DeadlineComplete.as_view(),
        name="fos-deadline-complete",
    ),
    path("fos/fees/ledger/", api.FeeLedger.as_view(), name="fos-fee-ledger"),
]
