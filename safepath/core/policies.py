"""The shared shape of permission policies (one per protected model, see STYLE.md rule 4)."""

from django.db import models


class PolicyAction(models.TextChoices):
    """Base for each policy's closed list of actions."""
