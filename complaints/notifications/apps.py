from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "complaints.notifications"
    label = "notifications"
    verbose_name = "Notifications and background jobs"
