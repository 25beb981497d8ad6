from django.urls import path

from complaints.api import converters  # noqa: F401 - registers the "anyid" path converter

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
    path(
        "letters/<int:letter_id>/print-pack/",
        api.LetterPrintPackView.as_view(),
        name="api-letter-print-pack",
    ),
    path(
        "firms/<anyid:firm_id>/fos-leaflets/",
        api.FirmFosLeafletsView.as_view(),
        name="api-firm-fos-leaflets",
    ),
    path(
        "firms/<anyid:firm_id>/letter-settings/",
        api.FirmLetterSettingsView.as_view(),
        name="api-firm-letter-settings",
    ),
    path("firms/<anyid:firm_id>/welsh/", api.FirmWelshView.as_view(), name="api-firm-welsh"),
    *api.ACTIONS.urls("letters/<int:letter_id>/", "api-letter-"),
]
