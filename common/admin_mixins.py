from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin


class ReadOnlyHistoryAdmin(SimpleHistoryAdmin):
    """History is evidence: it can be viewed, never reverted or edited through the admin."""

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        extra_context = {**(extra_context or {}), "revert_disabled": True}
        return super().history_form_view(request, object_id, version_id, extra_context)


class NoWritesMixin:
    """Records written only by a service or a job: the admin shows them, never writes them."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class ServiceOnlyAdmin(NoWritesMixin, ReadOnlyHistoryAdmin):
    """Records whose only write path is a service: the admin shows them and their history."""


class ReadOnlyTabularInline(admin.TabularInline):
    """A parent's append-only children, shown beside it: ``fields`` are all read-only, and the
    inline adds and deletes nothing (a service writes them)."""

    extra = 0
    can_delete = False

    def get_readonly_fields(self, request, obj=None):
        return self.fields

    def has_add_permission(self, request, obj=None):
        return False
