from django.urls import path

from . import leaflet_views, template_views, views

app_name = "letters"

urlpatterns = [
    path("templates/", template_views.template_list, name="templates"),
    path("templates/<str:letter_type>/", template_views.template_edit, name="template_edit"),
    path(
        "templates/<str:letter_type>/preview/",
        template_views.template_preview,
        name="template_preview",
    ),
    path(
        "templates/<str:letter_type>/approval/",
        template_views.approval_policy,
        name="approval_policy",
    ),
    path(
        "templates/<str:letter_type>/v<int:number>/",
        template_views.template_version,
        name="template_version",
    ),
    path("fos-leaflet/", leaflet_views.leaflet_page, name="fos_leaflet"),
    path("fos-leaflet/v<int:version>/", leaflet_views.leaflet_pdf, name="fos_leaflet_pdf"),
    path(
        "unknown-event-date/",
        leaflet_views.unknown_event_date_page,
        name="unknown_event_date",
    ),
    path("welsh/", leaflet_views.welsh_page, name="welsh"),
    path("complaint/<int:pk>/", views.workspace, name="workspace"),
    path("complaint/<int:pk>/draft/", views.draft_create, name="draft_create"),
    path("<int:letter_id>/", views.letter_page, name="letter"),
    path("<int:letter_id>/preview/", views.letter_preview, name="preview"),
    path("<int:letter_id>/pdf/", views.letter_pdf, name="pdf"),
    path("<int:letter_id>/print-pack/", leaflet_views.letter_print_pack, name="print_pack"),
    path("<int:letter_id>/<str:action>/", views.letter_action, name="action"),
]
