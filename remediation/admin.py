from django.contrib import admin

from common.admin_mixins import ReadOnlyHistoryAdmin, ServiceOnlyAdmin

from .models import (
    BulkRun,
    ComplaintRootCause,
    Incident,
    IncidentLink,
    NoRedressDecision,
    RedressItem,
    RemediationAction,
    RootCause,
)
from .services import root_causes


@admin.register(RootCause)
class RootCauseAdmin(ReadOnlyHistoryAdmin):
    """The administrator-managed taxonomy. Saves go through the services (history, checks);
    nodes are deactivated, never deleted, so past analysis keeps its labels."""

    list_display = ("__str__", "firm", "active")
    list_filter = ("firm", "active")
    search_fields = ("name",)
    fields = ("firm", "parent", "name", "description", "active")
    list_select_related = ("firm", "parent__parent")

    def get_readonly_fields(self, request, obj=None):
        return ("firm",) if obj else ()

    def has_delete_permission(self, request, obj=None):
        return False

    def save_model(self, request, obj, form, change):
        if change:
            root_causes.root_cause_update(
                root_cause_id=obj.pk,
                actor=request.user,
                name=obj.name,
                description=obj.description,
                active=obj.active,
                parent_id=obj.parent_id,
            )
        else:
            created = root_causes.root_cause_create(
                firm=obj.firm,
                actor=request.user,
                name=obj.name,
                parent_id=obj.parent_id,
                description=obj.description,
            )
            obj.pk = created.pk


@admin.register(RedressItem)
class RedressItemAdmin(ServiceOnlyAdmin):
    list_display = ("complaint", "kind", "amount_gbp", "status", "payment_due_on")
    list_filter = ("kind", "status")
    search_fields = ("complaint__reference",)
    list_select_related = ("complaint",)


@admin.register(NoRedressDecision)
class NoRedressDecisionAdmin(ServiceOnlyAdmin):
    list_display = ("complaint", "decided_at", "decided_by")


@admin.register(ComplaintRootCause)
class ComplaintRootCauseAdmin(ServiceOnlyAdmin):
    list_display = ("complaint", "root_cause", "assigned_at")


@admin.register(Incident)
class IncidentAdmin(ServiceOnlyAdmin):
    list_display = ("name", "firm", "started_at", "ended_at")
    list_filter = ("firm",)


@admin.register(IncidentLink)
class IncidentLinkAdmin(ServiceOnlyAdmin):
    list_display = ("incident", "complaint", "linked_at")


@admin.register(BulkRun)
class BulkRunAdmin(ServiceOnlyAdmin):
    list_display = ("incident", "action", "started_at", "succeeded", "failed")


@admin.register(RemediationAction)
class RemediationActionAdmin(ServiceOnlyAdmin):
    list_display = ("title", "firm", "status", "owner", "due_on", "review_on")
    list_filter = ("firm", "status")
