from django.apps import AppConfig


class FosConfig(AppConfig):
    name = "fos"
    verbose_name = "Financial Ombudsman referrals"

    def ready(self) -> None:
        from django.db.models.signals import post_migrate

        from .seed import seed_after_migrate

        post_migrate.connect(seed_after_migrate, sender=self)
        from common.panels import ComplaintPanel, register_complaint_panel
        from notifications import registry
        from complaints.selectors import register_queue_deadlines

        from .jobs import fos_deadline_source, open_referral_hold
        from .panels import complaint_panel_context
        from .selectors import open_fos_deadlines

        registry.register_deadline_source("fos", fos_deadline_source)
        register_queue_deadlines(open_fos_deadlines)
        registry.register_retention_hold("fos_open_referral", open_referral_hold)

        register_complaint_panel(
            ComplaintPanel(
                key="fos",
                title="Financial Ombudsman",
                template="fos/panel.html",
                order=60,
                context=complaint_panel_context,
            )
        )
