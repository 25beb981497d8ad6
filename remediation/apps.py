from django.apps import AppConfig


class RemediationConfig(AppConfig):
    name = "remediation"
    label = "remediation"
    verbose_name = "Redress, root causes and incidents"

    def ready(self) -> None:
        from common.panels import ComplaintPanel, register_complaint_panel
        from complaints import guards
        from notifications import registry

        from . import rules, views
        from .jobs import redress_payment_source

        registry.register_deadline_source("redress", redress_payment_source)

        guards.register_outcome_rule(rules.outcome_rule)
        guards.register_action_rule("close", rules.close_rule)
        register_complaint_panel(
            ComplaintPanel(
                key="remediation",
                title="Redress, root causes and incidents",
                template="remediation/panel.html",
                order=40,
                context=views.panel_context,
            )
        )
