from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "safepath.audit"
    label = "audit"
    verbose_name = "Audit trail"
