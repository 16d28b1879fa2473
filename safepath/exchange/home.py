"""The exchange in the web shell (see ``core/menu.py``): transfers for caseworkers and
supervisors, partners and the message log for administrators and the DPO; to-do items for
transfers that wait for an answer or an approval."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _

from safepath.accounts.models import User
from safepath.core.menu import NavLink, WorkItem
from safepath.exchange.policies import may_handle_transfers, may_read_message_log
from safepath.exchange.selectors import incoming_waiting_count, transfers_waiting_for_approval


def nav_links(user: User) -> list[NavLink]:
    links = []
    if may_handle_transfers(user):
        links.append(
            NavLink("exchange", _("Across borders"), reverse("exchange:transfers"), order=35)
        )
    if may_read_message_log(user):
        links.append(
            NavLink("exchange_partners", _("Partner instances"), reverse("exchange:partners"), 92)
        )
    return links


def work_items(user: User) -> list[WorkItem]:
    if not may_handle_transfers(user):
        return []
    url = reverse("exchange:transfers")
    items = [
        WorkItem(
            "exchange_incoming",
            _("Transfers from other countries to answer"),
            incoming_waiting_count(user=user),
            url,
            order=36,
        )
    ]
    if user.role == "supervisor":
        items.append(
            WorkItem(
                "exchange_approval",
                _("Transfers to other countries waiting for your approval"),
                transfers_waiting_for_approval(user=user).count(),
                url,
                order=37,
            )
        )
    return items
