from django.apps import AppConfig


class LettersConfig(AppConfig):
    name = "complaints.letters"
    label = "letters"
    verbose_name = "DISP letters"

    def ready(self) -> None:
        import logging

        # WeasyPrint logs every layout step at INFO; the root logger here is INFO.
        logging.getLogger("weasyprint.progress").setLevel(logging.WARNING)

        from common.panels import ComplaintPanel, register_complaint_panel

        from .views import complaint_panel_context

        register_complaint_panel(
            ComplaintPanel(
                key="letters",
                title="Letters",
                template="letters/panel.html",
                order=30,
                context=complaint_panel_context,
            )
        )
