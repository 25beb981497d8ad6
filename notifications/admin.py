from django.contrib import admin

from .models import Notice, Notification, RetentionRecord


class ReadOnlyAdmin(admin.ModelAdmin):
    """Ledger and audit rows are written by the jobs only."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Notice)
class NoticeAdmin(ReadOnlyAdmin):
    list_display = ("object_key", "kind", "level", "due_date", "firm", "created_at")
    list_filter = ("level", "kind", "firm")
    search_fields = ("object_key",)
    list_select_related = ("firm",)


@admin.register(Notification)
class NotificationAdmin(ReadOnlyAdmin):
    list_display = (
        "title",
        "recipient",
        "level",
        "category",
        "created_at",
        "read_at",
        "email_status",
    )
    list_filter = ("category", "level", "email_status", "firm")
    search_fields = ("title", "recipient__username")
    list_select_related = ("recipient",)


@admin.register(RetentionRecord)
class RetentionRecordAdmin(ReadOnlyAdmin):
    list_display = ("reference", "firm", "receipt_date", "retained_until", "anonymised_at")
    list_filter = ("firm",)
    search_fields = ("reference",)
