from __future__ import annotations

from typing import TYPE_CHECKING

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

if TYPE_CHECKING:
    from safepath.core.rotation import Sealed


class OnlineConfig(AppConfig):
    name = "safepath.online"
    label = "online"
    verbose_name = _("Online safety")

    def ready(self) -> None:
        from safepath.core import rotation

        rotation.register(_sealed_things)


def _sealed_things() -> list[Sealed]:
    from safepath.core.rotation import BlindIndexColumn, TaggedIndexColumn
    from safepath.online.models import URL_INDEX_PURPOSE, OnlineReport

    # the URL index is recomputed from the (encrypted) URL; a report's reference is held only
    # by the reporter, so its index names its key and moves when the reference is next used
    return [
        BlindIndexColumn(OnlineReport, "url_index", URL_INDEX_PURPOSE, lambda r: r.url.strip()),
        TaggedIndexColumn(OnlineReport, "reference_index"),
    ]
