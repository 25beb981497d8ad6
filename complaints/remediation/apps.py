from django.apps import AppConfig


class RemediationConfig(AppConfig):
    name = "complaints.remediation"
    label = "remediation"
    verbose_name = "Redress, root causes and incidents"
