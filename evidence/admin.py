from django.contrib import admin

from common.admin_mixins import ServiceOnlyAdmin

from .models import Evidence


@admin.register(Evidence)
class EvidenceAdmin(ServiceOnlyAdmin):
    """Evidence is added and removed on the complaint page or through the API only."""

    list_display = ("title", "kind", "complaint", "content_type", "size", "uploaded_at", "state")
    list_filter = ("kind", "state", "source")
    search_fields = ("title", "sha256", "complaint__reference")
