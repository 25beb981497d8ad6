from django.apps import AppConfig


class MailroomConfig(AppConfig):
    name = "mailroom"
    label = "mailroom"
    verbose_name = "E-mail in and out: the firm's complaints mailbox"

    def ready(self) -> None:
        from complaints.panels import ComplaintPanel, register_complaint_panel
        from complaints.services.retention import complaints_anonymised, retention_job_ran

        from .panel import complaint_panel_context
        from .retention import on_complaints_anonymised, on_retention_job

        # DISP 1.9.1R: a complaint anonymised takes its e-mails' personal data with it.
        complaints_anonymised.connect(on_complaints_anonymised, dispatch_uid="mailroom.retention")
        # Data minimisation: e-mail never filed on a complaint goes after its own period.
        retention_job_ran.connect(on_retention_job, dispatch_uid="mailroom.retention.unfiled")

        register_complaint_panel(
            ComplaintPanel(
                key="email",
                title="E-mail",
                template="mailroom/panel.html",
                order=32,
                context=complaint_panel_context,
            )
        )
