from django.contrib import admin

from common.admin_mixins import NoWritesMixin

from .models import Notice, Notification, RetentionRecord


class ReadOnlyAdmin(NoWritesMixin, admin.ModelAdmin):
    """Ledger and audit rows are written by the jobs only."""


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
