from django.conf import settings
from django.core.management.base import CommandError


def refuse_in_production(verb: str) -> None:
    """Synthetic data and known demo passwords never enter a production database."""
    if settings.PRODUCTION:
        raise CommandError(
            f"`safepath {verb}` loads synthetic data and demo passwords; it runs only with "
            "SAFEPATH_MODE=demo or development."
        )
