from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OnlineConfig(AppConfig):
    name = "safepath.online"
    label = "online"
    verbose_name = _("Online safety")
