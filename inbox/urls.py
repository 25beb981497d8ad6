from django.urls import path

from . import views

app_name = "inbox"

urlpatterns = [
    # One page: every section the role sees, capped; ?section=<key> lists one section in full.
    path("", views.inbox, name="index"),
    path("count/", views.inbox_count, name="count"),
]
