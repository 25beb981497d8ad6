from django.apps import AppConfig


class RemediationConfig(AppConfig):
    name = "remediation"
    label = "remediation"
    verbose_name = "Redress, root causes and incidents"

    def ready(self) -> None:
        from .describers import register as register_describers

        register_describers()
        from complaints.panels import (
            ComplainantPanel,
            ComplaintPanel,
            register_complainant_panel,
            register_complaint_panel,
        )

        from .views.panel import complainant_panel_context, panel_context

        register_complaint_panel(
            ComplaintPanel(
                key="remediation",
                title="Redress, root causes and incidents",
                template="remediation/panel.html",
                order=40,
                context=panel_context,
            )
        )
        register_complainant_panel(
            ComplainantPanel(
                key="redress",
                title="Redress",
                template="remediation/complainant_redress.html",
                order=40,
                context=complainant_panel_context,
            )
        )
