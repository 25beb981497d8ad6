from django.apps import AppConfig


class MailroomConfig(AppConfig):
    name = "mailroom"
    label = "mailroom"
    verbose_name = "E-mail in and out: the firm's complaints mailbox"

    def ready(self) -> None:
        from complaints.panels import ComplaintPanel, register_complaint_panel

        from .panel import complaint_panel_context

        register_complaint_panel(
            ComplaintPanel(
                key="email",
                title="E-mail",
                template="mailroom/panel.html",
                order=32,
                context=complaint_panel_context,
            )
        )
