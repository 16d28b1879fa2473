"""Who is told about new financial alerts (through the notifications app): the agency's
financial analysts, once per screening run that raised any. A run number and a link only."""

from __future__ import annotations

from django.urls import reverse

from safepath.accounts.models import User
from safepath.accounts.roles import WORKS_FINANCIAL_ALERTS
from safepath.finance.models import ScreeningRun
from safepath.notify.kinds import short_reference
from safepath.notify.services import notify


def alerts_raised(run: ScreeningRun) -> None:
    analysts = User.objects.filter(
        agency=run.agency_id, role__in=WORKS_FINANCIAL_ALERTS, is_active=True
    )
    notify(
        recipients=analysts,
        kind="finance_alert",
        reference=short_reference("RUN", run.id),
        link=reverse("finance:run", args=[run.id]),
        dedupe_key=f"finance_alert:{run.id}",
    )
