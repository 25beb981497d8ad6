from django.urls import path

from . import api

urlpatterns = [
    path("fos/referrals/", api.ReferralListCreate.as_view(), name="fos-referrals"),
    path("fos/referrals/<int:pk>/", api.ReferralDetail.as_view(), name="fos-referral"),
    path("fos/referrals/<int:pk>/award/", api.AwardView.as_view(), name="fos-referral-award"),
    path("fos/referrals/<int:pk>/consent/", api.ConsentView.as_view(), name="fos-referral-consent"),
    path(
        "fos/referrals/<int:pk>/chargeable-date/",
        api.ChargeableView.as_view(),
        name="fos-referral-chargeable",
    ),
    path(
        "fos/referrals/<int:pk>/reference/",
        api.ReferenceView.as_view(),
        name="fos-referral-reference",
    ),
    path(
        "fos/referrals/<int:pk>/checklist/",
        api.ChecklistView.as_view(),
        name="fos-referral-checklist",
    ),
    path(
        "fos/referrals/<int:pk>/deadlines/",
        api.ReferralDeadlines.as_view(),
        name="fos-referral-deadlines",
    ),
    path(
        "fos/referrals/<int:pk>/case-file/", api.CaseFile.as_view(), name="fos-referral-case-file"
    ),
    *(
        path(
            f"fos/referrals/<int:pk>/{action.replace('_', '-')}/",
            view.as_view(),
            name=f"fos-referral-{action.replace('_', '-')}",
        )
        for action, view in api.ACTION_VIEWS.items()
    ),
    path("fos/deadlines/", api.OpenDeadlines.as_view(), name="fos-deadlines"),
    path(
        "fos/deadlines/<int:pk>/complete/",
        api.DeadlineComplete.as_view(),
        name="fos-deadline-complete",
    ),
    path("fos/fees/ledger/", api.FeeLedger.as_view(), name="fos-fee-ledger"),
]
