from django.apps import AppConfig


class EvidenceConfig(AppConfig):
    name = "evidence"
    verbose_name = "Evidence"

    def ready(self) -> None:
        from complaints.panels import ComplaintPanel, register_complaint_panel

        from .views import panel_context

        register_complaint_panel(
            ComplaintPanel(
                key="evidence",
                title="Evidence",
                template="evidence/panel.html",
                order=32,
                context=panel_context,
            )
        )
