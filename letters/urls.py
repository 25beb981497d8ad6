from django.urls import include, path

from . import views

app_name = "letters"

# The firm's template of one letter type: the editor, its live preview, approval and versions.
_TEMPLATE = [
    path("", views.template_edit, name="template_edit"),
    path("preview/", views.template_preview, name="template_preview"),
    path("approval/", views.approval_policy, name="approval_policy"),
    path("v<int:number>/", views.template_version, name="template_version"),
]
# One letter: its page, previews and actions.
_LETTER = [
    path("", views.letter_page, name="letter"),
    path("preview/", views.letter_preview, name="preview"),
    path("pdf/", views.letter_pdf, name="pdf"),
    path("<str:action>/", views.letter_action, name="action"),
]

urlpatterns = [
    path("templates/", views.template_list, name="templates"),
    path("templates/<str:letter_type>/", include(_TEMPLATE)),
    path("complaint/<int:pk>/", views.workspace, name="workspace"),
    path("complaint/<int:pk>/draft/", views.draft_create, name="draft_create"),
    path("<int:letter_id>/", include(_LETTER)),
]
