from django.apps import AppConfig


class FosConfig(AppConfig):
    name = "fos"
    verbose_name = "Financial Ombudsman referrals"

    def ready(self) -> None:
        from common.panels import ComplaintPanel, register_complaint_panel

        from .panels import complaint_panel_context

        register_complaint_panel(
            ComplaintPanel(
                key="fos",
                title="Financial Ombudsman",
                template="fos/panel.html",
                order=60,
                context=complaint_panel_context,
            )
        )
