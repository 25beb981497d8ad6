from django.urls import path

from . import views

app_name = "intake"

urlpatterns = [
    path("import/", views.upload, name="import"),
    path("import/<int:pk>/", views.detail, name="detail"),
    path("import/<int:pk>/confirm/", views.confirm, name="confirm"),
    path("import/template.<str:fmt>", views.template, name="template"),
]
