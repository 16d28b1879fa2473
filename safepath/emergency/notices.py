"""Who is told when an emergency is declared (through the notifications app): the supervisors
of the agencies in its country, at once (urgent). A record number and a link only."""

from __future__ import annotations

from django.urls import reverse

from safepath.accounts.models import User
from safepath.accounts.roles import Role
from safepath.emergency.models import Emergency
from safepath.notify.kinds import short_reference
from safepath.notify.services import notify


def emergency_declared(emergency: Emergency) -> None:
    supervisors = User.objects.filter(
        role=Role.SUPERVISOR,
        is_active=True,
        agency__country=emergency.country,
        agency__is_active=True,
    )
    notify(
        recipients=supervisors,
        kind="emergency",
        reference=short_reference("EM", emergency.id),
        link=reverse("emergency:board", args=[emergency.id]),
        dedupe_key=f"emergency:{emergency.id}",
    )
