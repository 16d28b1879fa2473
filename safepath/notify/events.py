"""The events an external system may subscribe to (webhooks), as data, and what each carries.

Default-deny, through the same category map as a case read (``cases.scopes``): every key of
every event's ``data`` is named below under the category that covers it. ``EVERY_HOLDER`` keys
(references, statuses, agencies, dates) always go; a categorised key goes only when the
subscription holds its category; a key named nowhere never goes (``payload_data`` drops it, and
``tests/test_webhook_payloads.py`` fails on it).

A webhook is a push to a system outside SafePath's consent-scoped sharing, so a subscription
may hold only ``WEBHOOK_CATEGORIES``: never identity, contact, health, justice or notes. A
receiver that needs more asks the API for it, with a credential scoped to agencies and
purposes, and each such read is audited (docs/integrations.md).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from safepath.cases.scopes import EVERY_HOLDER, KEY_CATEGORY
from safepath.cases.vocabulary import DataCategory

# The only categories a webhook subscription may hold (identity and the rest are refused).
WEBHOOK_CATEGORIES = frozenset({DataCategory.CASE_FACTS.value, DataCategory.PLAN.value})


@dataclass(frozen=True)
class Event:
    type: str  # Standard Webhooks "type": group.action
    title: str | Promise
    # key of ``data`` -> the category that covers it (EVERY_HOLDER: the frame, always sent)
    keys: dict[str, str]


def _case_keys(*names: str) -> dict[str, str]:
    """Keys of a case read, with the category ``cases.scopes`` gives them."""
    return {name: KEY_CATEGORY[name] for name in names}


_CASE_FRAME = {"case_id": EVERY_HOLDER, "reference": EVERY_HOLDER, "owner_agency": EVERY_HOLDER}
_REFERRAL_FRAME = {
    **_CASE_FRAME,
    "referral_id": EVERY_HOLDER,
    "referring_agency": EVERY_HOLDER,
    "receiving_agency": EVERY_HOLDER,
    "service_type": EVERY_HOLDER,
    "urgency": EVERY_HOLDER,
    "status": EVERY_HOLDER,
    "due_at": EVERY_HOLDER,
}

EVENTS: dict[str, Event] = {
    event.type: event
    for event in (
        Event(
            "case.created",
            _("A case was registered"),
            {
                **_CASE_FRAME,
                **_case_keys("status", "identified_on", "created_at"),
                **_case_keys(
                    "forms_of_exploitation",
                    "country_of_exploitation",
                    "country_of_origin",
                    "countries_of_transit",
                ),
            },
        ),
        Event(
            "case.status_changed",
            _("A case changed status"),
            {
                **_CASE_FRAME,
                "previous_status": EVERY_HOLDER,
                **_case_keys("status", "status_changed_at", "closure_reason"),
            },
        ),
        Event("referral.created", _("A referral was sent"), dict(_REFERRAL_FRAME)),
        Event(
            "referral.answered",
            _("A referral was accepted or declined"),
            {**_REFERRAL_FRAME, "decline_code": EVERY_HOLDER},
        ),
        Event(
            "consent.withdrawn",
            _("A consent to share was withdrawn"),
            {
                **_CASE_FRAME,
                "consent_id": EVERY_HOLDER,
                "purpose": EVERY_HOLDER,
                "recipient_agency": EVERY_HOLDER,
                "withdrawn_at": EVERY_HOLDER,
                "shares_ended": EVERY_HOLDER,
            },
        ),
        Event(
            "webhook.test",
            _("A test message sent by the administrator"),
            {"subscription_id": EVERY_HOLDER, "sent_at": EVERY_HOLDER},
        ),
    )
}
# Every category any event's key needs, for the schema and the tests.
IDENTIFYING = frozenset(
    {
        DataCategory.IDENTITY.value,
        DataCategory.CONTACT.value,
        DataCategory.HEALTH.value,
        DataCategory.JUSTICE.value,
        DataCategory.NOTES.value,
    }
)


def categories_problem(categories: list[str]) -> str:
    """Why a subscription may not hold ``categories`` ("" when it may)."""
    refused = sorted(set(categories) - WEBHOOK_CATEGORIES)
    if refused:
        return ", ".join(refused)
    return ""


def payload_data(
    event_type: str, values: dict[str, Any], categories: frozenset[str]
) -> dict[str, Any]:
    """The event's ``data`` a subscriber with ``categories`` receives: the frame, the keys of
    the categories it holds (never an identifying one), and nothing named nowhere."""
    keys = EVENTS[event_type].keys
    allowed = categories & WEBHOOK_CATEGORIES
    return {
        key: value
        for key, value in values.items()
        if key in keys and (keys[key] == EVERY_HOLDER or keys[key] in allowed)
    }
