"""What SafePath tells people, as data: each kind of notification, its title and whether it is
urgent. Pure (no database): the services look a kind up here, the templates show its title.

A notification carries a kind, a reference (a case number, or the short form of a record's
UUID) and a link, and nothing else: never a child's name or any identifying detail.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class Kind:
    code: str
    title: str | Promise
    urgent: bool  # urgent kinds go at once, by e-mail and SMS, even in quiet hours


KINDS: dict[str, Kind] = {
    kind.code: kind
    for kind in (
        Kind("referral_received", _("A referral was sent to your agency"), urgent=False),
        Kind("referral_due_soon", _("A referral to your agency is due within 24 hours"), True),
        Kind("referral_accepted", _("Your referral was accepted"), urgent=False),
        Kind("referral_declined", _("Your referral was declined"), urgent=False),
        Kind("referral_overdue", _("A referral is overdue and was escalated to you"), True),
        Kind("plan_awaiting_approval", _("A case plan is waiting for your approval"), False),
        Kind(
            "determination_awaiting_approval",
            _("A best-interests determination is waiting for your approval"),
            urgent=False,
        ),
        Kind("task_overdue", _("A task on your case is overdue"), urgent=False),
        Kind("review_overdue", _("A case review is overdue"), urgent=False),
        Kind("guardian_overdue", _("A guardian has not been appointed in time"), urgent=True),
        Kind("case_shared", _("A case was shared with your agency"), urgent=False),
        Kind("match_to_review", _("A possible duplicate is waiting for review"), urgent=False),
        Kind("release_to_review", _("A statistical release is waiting for review"), False),
        Kind("finance_alert", _("A new alert is in the finance queue"), urgent=False),
        Kind("emergency", _("An emergency needs your attention"), urgent=True),
        Kind("webhook_paused", _("A webhook subscriber kept failing and was paused"), False),
    )
}

# A reference is a case number (SP-XXXX-XXXX) or a short record number (8 hex digits, upper
# case, optionally prefixed): letters and digits in groups, never free text.
REFERENCE = re.compile(r"^(?:[A-Z]{2,4}-)?[0-9A-Z]{4,8}(?:-[0-9A-Z]{4})?$")
# A link is a path on this site: no scheme, no host, no query string, no fragment.
LINK = re.compile(r"^/[a-z0-9/_-]*$")


def short_reference(prefix: str, record_id: object) -> str:
    """A record's reference for people: ``REF-1A2B3C4D`` from its UUID (no content of it)."""
    return f"{prefix}-{str(record_id).replace('-', '')[:8].upper()}"


def reference_problem(reference: str) -> str:
    if not REFERENCE.fullmatch(reference):
        return f"reference {reference!r} is not a case or record number"
    return ""


def link_problem(link: str) -> str:
    if not LINK.fullmatch(link):
        return f"link {link!r} is not a plain path on this site"
    return ""
