from django.contrib import admin

from common.admin_mixins import ReadOnlyTabularInline, ServiceOnlyAdmin

from .models import (
    ApprovalPolicy,
    FosLeaflet,
    Letter,
    LetterDelivery,
    LetterTemplate,
    LetterTemplateVersion,
)


class VersionInline(ReadOnlyTabularInline):
    model = LetterTemplateVersion
    fields = ("number", "subject", "note", "created_by", "created_at")


@admin.register(LetterTemplate)
class LetterTemplateAdmin(ServiceOnlyAdmin):
    """Templates are edited in the product (letters:templates), which versions every change."""

    list_display = ("letter_type", "language", "firm", "created_at")
    list_filter = ("letter_type", "language", "firm")
    inlines = [VersionInline]


@admin.register(LetterTemplateVersion)
class LetterTemplateVersionAdmin(ServiceOnlyAdmin):
    list_display = ("template", "number", "created_by", "created_at")
    list_filter = ("template__letter_type",)


@admin.register(ApprovalPolicy)
class ApprovalPolicyAdmin(ServiceOnlyAdmin):
    list_display = ("firm", "letter_type", "requires_approval", "updated_by", "updated_at")
    list_filter = ("firm", "requires_approval")


class DeliveryInline(ReadOnlyTabularInline):
    model = LetterDelivery
    fields = ("recipient", "status", "attempted_at", "error")


@admin.register(Letter)
class LetterAdmin(ServiceOnlyAdmin):
    list_display = ("complaint", "letter_type", "status", "sent_at", "sent_by", "pdf_sha256")
    list_filter = ("letter_type", "status", "complaint__firm")
    search_fields = ("complaint__reference", "subject")
    list_select_related = ("complaint", "sent_by")
    exclude = ("pdf",)
    inlines = [DeliveryInline]


@admin.register(LetterDelivery)
class LetterDeliveryAdmin(ServiceOnlyAdmin):
    list_display = ("letter", "recipient", "status", "attempted_at")
    list_filter = ("status",)


@admin.register(FosLeaflet)
class FosLeafletAdmin(ServiceOnlyAdmin):
    """Uploaded in the product (letters:fos_leaflet), which versions every upload."""

    list_display = ("firm", "version", "label", "checked_on", "uploaded_by", "uploaded_at")
    list_filter = ("firm",)
