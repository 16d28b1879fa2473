from __future__ import annotations

from typing import TYPE_CHECKING

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

if TYPE_CHECKING:
    from safepath.core.rotation import BlindIndexColumn


class FinanceConfig(AppConfig):
    name = "safepath.finance"
    label = "finance"
    verbose_name = _("Financial red flags")

    def ready(self) -> None:
        from safepath.core import backup, rotation
        from safepath.finance import uploads

        rotation.register(_sealed_things)
        # uploads wait sealed for the worker: rotation re-seals them, a backup holds them
        rotation.register(uploads.sealed_things)
        backup.register_folder(uploads.FOLDER)


def _sealed_things() -> list[BlindIndexColumn]:
    from safepath.core.rotation import BlindIndexColumn
    from safepath.finance.models import CUSTOMER_INDEX_PURPOSE, FinancialAlert

    # the customer index is recomputed from the (encrypted) customer id after a new index key
    return [
        BlindIndexColumn(
            FinancialAlert, "customer_index", CUSTOMER_INDEX_PURPOSE, lambda a: a.customer_id
        )
    ]
