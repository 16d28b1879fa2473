"""The online app's sub-menu, drawn from the policy for the signed-in user."""

from __future__ import annotations

from typing import Any

from django import template

from safepath.online.policies import OnlineAction, online_policy

register = template.Library()


@register.inclusion_tag("online/_nav.html", takes_context=True)
def online_nav(context: dict[str, Any]) -> dict[str, Any]:
    user = context["request"].user
    may = {a.value: online_policy.user_has_permission(user, a) for a in OnlineAction}
    return {"may_nav": may}
