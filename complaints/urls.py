from django.urls import path

from . import views
from .views import complainant, queue_actions, queue_export

app_name = "complaints"

urlpatterns = [
    path("", views.queue, name="queue"),
    path("queue/export/<slug:fmt>/", queue_export.queue_export, name="queue_export"),
    path("queue/bulk/", queue_actions.queue_bulk, name="queue_bulk"),
    path("queue/views/", queue_actions.saved_filter_save, name="saved_filter_create"),
    path(
        "queue/views/<int:pk>/delete/",
        queue_actions.saved_filter_remove,
        name="saved_filter_delete",
    ),
    path(
        "complaints/complainants/<int:pk>/",
        complainant.complainant_detail,
        name="complainant",
    ),
    path("firm/choose/", views.pick_firm, name="pick_firm"),
    path("firm/switch/", views.switch_firm, name="switch_firm"),
    path("complaints/new/", views.complaint_create, name="create"),
    path("complaints/new/preview/", views.complaint_preview, name="create_preview"),
    path("complaints/new/complainants/", views.complainant_lookup, name="complainant_lookup"),
    path("complaints/<int:pk>/", views.complaint_detail, name="detail"),
    path("complaints/<int:pk>/act/<slug:action>/", views.complaint_act, name="act"),
    path("complaints/<int:pk>/assign/", views.complaint_assign, name="assign"),
    path("complaints/<int:pk>/notes/", views.complaint_note, name="add_note"),
    path(
        "complaints/<int:pk>/data-protection/<slug:action>/",
        views.data_protection_act,
        name="data_protection",
    ),
    path(
        "complaints/<int:pk>/vulnerability/",
        views.complaint_vulnerability,
        name="vulnerability",
    ),
    path("complaints/<int:pk>/adjustments/", views.complaint_adjustments, name="adjustments"),
    path(
        "complaints/<int:pk>/representatives/new/",
        views.representative_add,
        name="representative_add",
    ),
    path(
        "complaints/<int:pk>/representatives/<int:rep>/authority/",
        views.representative_authority,
        name="representative_authority",
    ),
    path(
        "complaints/<int:pk>/representatives/<int:rep>/end/",
        views.representative_end,
        name="representative_end",
    ),
    path("complaints/<int:pk>/tasks/", views.task_add, name="task_add"),
    path("tasks/", views.my_tasks, name="my_tasks"),
    path("tasks/<int:pk>/<slug:action>/", views.task_act, name="task_act"),
    path("calculator/", views.calculator, name="calculator"),
    path("bank-holidays/", views.bank_holidays, name="bank_holidays"),
]
