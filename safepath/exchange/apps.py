from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ExchangeConfig(AppConfig):
    name = "safepath.exchange"
    label = "exchange"
    verbose_name = _("Exchange between instances")

    def ready(self) -> None:
        from safepath.core import backup

        # `safepath backup --include-keyring` copies the instance's exchange keys with the keyring
        backup.register_key_file("EXCHANGE_KEYS_FILE", "exchange_keys.json")
