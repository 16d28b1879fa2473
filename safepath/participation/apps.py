from __future__ import annotations

from typing import TYPE_CHECKING

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

if TYPE_CHECKING:
    from safepath.core.rotation import Sealed


class ParticipationConfig(AppConfig):
    name = "safepath.participation"
    label = "participation"
    verbose_name = _("Children's participation")

    def ready(self) -> None:
        from safepath.core import rotation

        rotation.register(_sealed_things)


def _sealed_things() -> list[Sealed]:
    from safepath.core.rotation import TaggedIndexColumn
    from safepath.participation.models import Feedback

    # a tracking code is held only by the child or carer: its index names its key and moves to
    # the active key when the code is next used
    return [TaggedIndexColumn(Feedback, "code_index")]
