from django.urls import path

from . import api

urlpatterns = [
    path(
        "complaints/<int:complaint_id>/letters/",
        api.ComplaintLettersView.as_view(),
        name="api-complaint-letters",
    ),
    path("letters/<int:letter_id>/", api.LetterDetailView.as_view(), name="api-letter"),
    path(
        "letters/<int:letter_id>/preview/",
        api.LetterPreviewView.as_view(),
        name="api-letter-preview",
    ),
    path("letters/<int:letter_id>/pdf/", api.LetterPdfView.as_view(), name="api-letter-pdf"),
    *api.ACTIONS.urls("letters/<int:letter_id>/", "api-letter-"),
]
