from django.apps import AppConfig


class ReportingConfig(AppConfig):
    name = "reporting"
    verbose_name = "SUP 16.34 reporting"

    def ready(self) -> None:
        from .describers import register as register_describers

        register_describers()
        from complaints.services.calendar import deadlines_moved

        from .receivers import on_deadlines_moved

        # The calendar service sits below this app: it announces each bank holiday change, and
        # the returns' stored due dates (SUP 16.34.5R(1)) are recomputed in its transaction.
        deadlines_moved.connect(on_deadlines_moved, dispatch_uid="reporting.calendar")
