from django.apps import AppConfig


class RemediationConfig(AppConfig):
    name = "remediation"
    label = "remediation"
    verbose_name = "Redress, root causes and incidents"

    def ready(self) -> None:
        from complaints.panels import ComplaintPanel, register_complaint_panel

        from . import views

        register_complaint_panel(
            ComplaintPanel(
                key="remediation",
                title="Redress, root causes and incidents",
                template="remediation/panel.html",
                order=40,
                context=views.panel_context,
            )
        )
