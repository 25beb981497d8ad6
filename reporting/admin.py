"""Reporting records change only through reporting.services: the admin shows them and their
history. Snapshot rows and return items are not listed here (millions of rows); the snapshot
and return pages show them, paginated."""

from django.contrib import admin

from common.admin_mixins import ReadOnlyTabularInline, ServiceOnlyAdmin

from .models import (
    FIGURE_FIELDS,
    ClientPositionSnapshot,
    ImportRejection,
    ReturnVersion,
    Sup16Return,
)


@admin.register(ClientPositionSnapshot)
class ClientPositionSnapshotAdmin(ServiceOnlyAdmin):
    list_display = ("firm", "as_at", "file_name", "row_count", "loaded_by", "loaded_at")
    list_filter = ("firm", "as_at")
    search_fields = ("file_name", "file_sha256")


@admin.register(ImportRejection)
class ImportRejectionAdmin(ServiceOnlyAdmin):
    list_display = ("firm", "as_at", "file_name", "error_count", "rejected_by", "rejected_at")
    list_filter = ("firm",)


class ReturnVersionInline(ReadOnlyTabularInline):
    model = ReturnVersion
    fields = ("number", "status", *FIGURE_FIELDS, "computed_by", "approved_by")


@admin.register(Sup16Return)
class Sup16ReturnAdmin(ServiceOnlyAdmin):
    list_display = ("firm", "period_start", "period_end", "due_date", "latest_version")
    list_filter = ("firm", "is_trial")
    inlines = [ReturnVersionInline]


@admin.register(ReturnVersion)
class ReturnVersionAdmin(ServiceOnlyAdmin):
    list_display = ("sup16_return", "number", "status", *FIGURE_FIELDS)
    list_filter = ("status",)
