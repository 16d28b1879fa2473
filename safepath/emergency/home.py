"""The emergency app in the web shell: its menu links and home-page items (see core/menu.py)."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _

from safepath.accounts.models import User
from safepath.core.menu import NavLink, WorkItem
from safepath.emergency.policies import EmergencyAction, emergency_policy
from safepath.emergency.selectors import emergencies_active


def nav_links(user: User) -> list[NavLink]:
    links = []
    if emergency_policy.user_has_permission(user, EmergencyAction.REGISTER):
        links.append(
            NavLink("field", _("Field registration"), reverse("emergency:field"), order=15)
        )
    if emergency_policy.user_has_permission(user, EmergencyAction.IMPORT):
        links.append(
            NavLink("odk-import", _("ODK/Kobo import"), reverse("emergency:import"), order=16)
        )
    if emergency_policy.user_has_permission(
        user, EmergencyAction.VIEW_BOARD
    ) or emergency_policy.user_has_permission(user, EmergencyAction.DECLARE):
        links.append(NavLink("emergencies", _("Emergencies"), reverse("emergency:list"), order=60))
    if emergency_policy.user_has_permission(user, EmergencyAction.VIEW_RISK):
        links.append(NavLink("risk", _("Risk map"), reverse("emergency:risk"), order=61))
    return links


def work_items(user: User) -> list[WorkItem]:
    if not emergency_policy.user_has_permission(user, EmergencyAction.VIEW_BOARD):
        return []
    from safepath.emergency.board import emergency_board

    items = []
    for emergency in emergencies_active()[:3]:
        board = emergency_board(user=user, emergency=emergency)
        items.append(
            WorkItem(
                key=f"emergency-{emergency.id}",
                title=_("%(name)s: unaccompanied children without interim care")
                % {"name": emergency.name},
                count=board.unaccompanied_without_care,
                overdue=sum(board.overdue.values()),
                url=reverse("emergency:board", kwargs={"emergency_id": emergency.id}),
                order=20,
            )
        )
    return items
