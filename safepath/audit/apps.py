from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AuditConfig(AppConfig):
    name = "safepath.audit"
    label = "audit"
    verbose_name = _("Audit trail")

    def ready(self) -> None:
        from safepath.audit import keys
        from safepath.core import rotation

        # `keys status` counts the events under each audit key; `keys retire` keeps those in use
        rotation.register(keys.sealed_things)
