from django.apps import AppConfig


class FosConfig(AppConfig):
    name = "fos"
    verbose_name = "Financial Ombudsman referrals"

    def ready(self) -> None:
        from .describers import register as register_describers

        register_describers()
        from django.db.models.signals import post_migrate

        from .seed import seed_after_migrate

        post_migrate.connect(seed_after_migrate, sender=self)
        from complaints.panels import ComplaintPanel, register_complaint_panel
        from complaints.selectors import register_queue_deadlines

        from .panels import complaint_panel_context
        from .selectors import open_fos_deadlines

        register_queue_deadlines(open_fos_deadlines)

        register_complaint_panel(
            ComplaintPanel(
                key="fos",
                title="Financial Ombudsman",
                template="fos/panel.html",
                order=60,
                context=complaint_panel_context,
            )
        )
