from django.urls import path

from . import views

app_name = "evidence"

urlpatterns = [
    path("complaint/<int:complaint_pk>/add/", views.upload, name="upload"),
    path("<int:pk>/file/", views.view_file, name="file"),
    path("<int:pk>/download/", views.download, name="download"),
    path("<int:pk>/pages/<int:number>/", views.pdf_page, name="pdf_page"),
    path("<int:pk>/remove/", views.remove, name="remove"),
]
