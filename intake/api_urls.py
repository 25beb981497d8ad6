from django.urls import path

from .api import ComplaintListCreate

urlpatterns = [
    path("complaints/", ComplaintListCreate.as_view(), name="api-complaints"),
]
