from django.urls import path

from . import views

app_name = "mailroom"

urlpatterns = [
    path("", views.inbox, name="inbox"),
    path("settings/", views.mailbox_settings, name="settings"),
    path("settings/test/", views.mailbox_test, name="test"),
    path("messages/<int:pk>/", views.message_detail, name="message"),
    path("messages/<int:pk>/original.eml", views.message_raw, name="raw"),
    path("messages/<int:pk>/complaint/", views.message_to_complaint, name="to_complaint"),
    path("messages/<int:pk>/set-aside/", views.message_set_aside, name="set_aside"),
    path("complaints/<int:pk>/reply/", views.complaint_reply, name="reply"),
]
