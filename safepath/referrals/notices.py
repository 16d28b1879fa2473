"""Who is told what about a referral (through the notifications app): a kind, the case number
and a link to the referral, never the child's name. Called by the services, inside their
transaction; the sending happens after commit, in the worker."""

from __future__ import annotations

import datetime

from django.urls import reverse

from safepath.accounts.models import User
from safepath.notify.services import notify
from safepath.notify.webhooks import webhook_emit
from safepath.referrals.models import Referral
from safepath.referrals.policies import ANSWERS_REFERRALS

DUE_SOON = datetime.timedelta(hours=24)


def _link(referral: Referral) -> str:
    return reverse("referrals:detail", args=[referral.id])


def referral_received(referral: Referral, now: datetime.datetime) -> None:
    """The receiving agency's caseworkers and supervisors; urgent when due within 24 hours."""
    staff = User.objects.filter(
        agency=referral.receiving_agency_id, role__in=ANSWERS_REFERRALS, is_active=True
    )
    kind = "referral_due_soon" if referral.due_at - now <= DUE_SOON else "referral_received"
    notify(
        recipients=staff,
        kind=kind,
        reference=referral.case.reference,
        link=_link(referral),
        dedupe_key=f"referral_received:{referral.id}",
        now=now,
    )
    _webhook("referral.created", referral, now)


def referral_answered(referral: Referral, now: datetime.datetime) -> None:
    """The worker who referred learns that the referral was accepted or declined."""
    notify(
        recipients=[referral.referred_by],
        kind=f"referral_{referral.status}",
        reference=referral.case.reference,
        link=_link(referral),
        dedupe_key=f"referral_{referral.status}:{referral.id}",
        now=now,
    )
    _webhook("referral.answered", referral, now)


def referral_escalated(
    referral: Referral, level: int, recipients: list[User], now: datetime.datetime
) -> None:
    """Each person a referral's overdue step escalates to (urgent: at once, SMS too)."""
    notify(
        recipients=recipients,
        kind="referral_overdue",
        reference=referral.case.reference,
        link=_link(referral),
        dedupe_key=f"referral_overdue:{referral.id}:{level}",
        now=now,
    )


def _webhook(event_type: str, referral: Referral, now: datetime.datetime) -> None:
    """Subscribers following either agency: references, agencies, service, status (no name)."""
    case = referral.case
    webhook_emit(
        event_type=event_type,
        agencies=[referral.referring_agency_id, referral.receiving_agency_id],
        values={
            "case_id": str(case.id),
            "reference": case.reference,
            "owner_agency": str(case.owner_agency_id),
            "referral_id": str(referral.id),
            "referring_agency": str(referral.referring_agency_id),
            "receiving_agency": str(referral.receiving_agency_id),
            "service_type": referral.service_type,
            "urgency": referral.urgency,
            "status": referral.status,
            "due_at": referral.due_at,
            "decline_code": referral.decline_code,
        },
        now=now,
    )
