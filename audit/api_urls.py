from django.urls import path

from . import api

urlpatterns = [
    path(
        "firms/<anyid:firm_id>/sign-in-settings/",
        api.FirmSignInSettingsView.as_view(),
        name="api-firm-sign-in-settings",
    ),
]
