from django.urls import path

from complaints.api import converters  # noqa: F401 - registers the "anyid" path converter

from . import api

urlpatterns = [
    path("firms/<anyid:firm_id>/mailbox/", api.FirmMailboxView.as_view(), name="api-firm-mailbox"),
    path(
        "firms/<anyid:firm_id>/mailbox/test/",
        api.FirmMailboxTestView.as_view(),
        name="api-firm-mailbox-test",
    ),
]
