from django.contrib import admin

from common.admin_mixins import ServiceOnlyAdmin

from .models import Evidence


@admin.register(Evidence)
class EvidenceAdmin(ServiceOnlyAdmin):
    """Evidence is added and removed on the complaint page or through the API only."""

    list_display = ("title", "kind", "complaint", "content_type", "size", "uploaded_at", "state")
    list_filter = ("kind", "state", "source")
    search_fields = ("title", "sha256", "complaint__reference")
    # The file has no public address (evidence.storage): the change page names it, never links
    # it; it is opened from the complaint page, where the firm is checked.
    exclude = ("file",)
    readonly_fields = ("stored_as",)

    @admin.display(description="Stored as")
    def stored_as(self, obj: Evidence) -> str:
        return obj.file.name or "—"
