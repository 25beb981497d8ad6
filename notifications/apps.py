from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "notifications"
    label = "notifications"
    verbose_name = "Notifications and background jobs"

    def ready(self) -> None:
        from common.announce import announced
        from complaints.services import complaint_changed
        from complaints.services.calendar import deadlines_moved

        from .arrivals import on_announced
        from .receivers import on_complaint_changed, on_deadlines_moved

        # The lifecycle sits below this app and cannot call it: it announces each committed
        # change (the watch re-checks that complaint) and each calendar change that moved
        # deadlines (the owners are told in the same transaction).
        complaint_changed.connect(on_complaint_changed, dispatch_uid="notifications.recheck")
        deadlines_moved.connect(on_deadlines_moved, dispatch_uid="notifications.calendar")
        # Letters and returns awaiting approval are announced the same way (common.announce):
        # the supervisor's inbox tells its readers (notifications.arrivals).
        announced.connect(on_announced, dispatch_uid="notifications.inbox")
