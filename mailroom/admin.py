from django.contrib import admin

from common.admin_mixins import ServiceOnlyAdmin

from .models import InboundMessage, Mailbox, OutboundEmail


@admin.register(Mailbox)
class MailboxAdmin(ServiceOnlyAdmin):
    """Set by the firm's administrator on its page; the stored password is never shown."""

    list_display = ("firm", "address", "host", "folder", "enabled", "last_polled_at")
    list_select_related = ("firm",)
    exclude = ("password_encrypted",)


@admin.register(InboundMessage)
class InboundMessageAdmin(ServiceOnlyAdmin):
    list_display = ("arrived_at", "firm", "from_address", "subject", "kind", "state")
    list_filter = ("kind", "state", "firm")
    search_fields = ("message_id", "subject")
    list_select_related = ("firm",)


@admin.register(OutboundEmail)
class OutboundEmailAdmin(ServiceOnlyAdmin):
    list_display = ("created_at", "firm", "to_address", "subject", "sent_at")
    list_filter = ("firm",)
    search_fields = ("message_id", "subject")
    list_select_related = ("firm",)
