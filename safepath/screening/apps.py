from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ScreeningConfig(AppConfig):
    name = "safepath.screening"
    label = "screening"
    verbose_name = _("Screening")

    def ready(self) -> None:
        from safepath.core import rotation
        from safepath.screening import signing

        # a new index key re-signs the records (signatures are keyed by the index key)
        rotation.register(signing.sealed_things)
