from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "notifications"
    label = "notifications"
    verbose_name = "Notifications and background jobs"

    def ready(self) -> None:
        from common.context_processors import register_context_provider
        from complaints.services import complaint_changed

        from .receivers import on_complaint_changed
        from .selectors import unread_context
        from .sources import register_builtin_sources

        register_builtin_sources()
        register_context_provider(unread_context)
        complaint_changed.connect(on_complaint_changed, dispatch_uid="notifications.recheck")
