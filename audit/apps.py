from django.apps import AppConfig
from django.db.models.signals import post_migrate


class AuditConfig(AppConfig):
    name = "audit"
    label = "audit"
    verbose_name = "Audit review"

    def ready(self) -> None:
        from common.chain_sql import on_post_migrate as install_chains
        from common.history_guard import on_post_migrate
        from complaints.panels import ComplaintPanel, register_complaint_panel

        from .views import audit_panel_context

        # Sent once per app after every migrate (and after flush): the handler is idempotent and
        # covers every history table, so it is connected for this app's signal only.
        post_migrate.connect(on_post_migrate, sender=self, dispatch_uid="audit.history_guard")
        post_migrate.connect(install_chains, sender=self, dispatch_uid="audit.chain")
        register_complaint_panel(
            ComplaintPanel(
                key="audit",
                title="Audit trail",
                template="audit/_complaint_panel.html",
                order=900,
                context=audit_panel_context,
            )
        )
