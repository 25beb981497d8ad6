from django.urls import path

from . import views

app_name = "intake"

urlpatterns = [
    path("import/", views.upload, name="import"),
    path("import/<int:pk>/", views.detail, name="detail"),
    path("import/<int:pk>/confirm/", views.confirm, name="confirm"),
    path("import/template.<str:fmt>", views.template, name="template"),
    path("import/jobs/<int:pk>/", views.job_detail, name="job_detail"),
    path("import/jobs/<int:pk>/status/", views.job_status, name="job_status"),
    path("import/jobs/<int:pk>/cancel/", views.job_cancel, name="job_cancel"),
]
