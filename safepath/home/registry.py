"""Collects each app's ``home.py`` contributions (see ``core/menu.py``) in app order."""

from __future__ import annotations

import importlib
from collections.abc import Callable
from functools import cache
from types import ModuleType

from django.apps import apps

from safepath.accounts.models import User
from safepath.core.menu import NavLink, WorkItem


@cache
def _modules() -> tuple[ModuleType, ...]:
    found = []
    for config in apps.get_app_configs():
        if not config.name.startswith("safepath.") or config.name == "safepath.home":
            continue
        try:
            found.append(importlib.import_module(f"{config.name}.home"))
        except ModuleNotFoundError as error:
            if error.name != f"{config.name}.home":
                raise
    return tuple(found)


def _collect(function: str, user: User) -> list[object]:
    items: list[object] = []
    for module in _modules():
        contribute: Callable[[User], list[object]] | None = getattr(module, function, None)
        if contribute is not None:
            items.extend(contribute(user))
    return items


def nav_links(user: User) -> list[NavLink]:
    """The main menu for ``user``: every app's links it may follow, in order."""
    links = [link for link in _collect("nav_links", user) if isinstance(link, NavLink)]
    return sorted(links, key=lambda link: link.order)


def work_items(user: User) -> list[WorkItem]:
    """What waits for ``user`` across the apps: overdue first, then by order; empty ones out."""
    items = [item for item in _collect("work_items", user) if isinstance(item, WorkItem)]
    return sorted(
        (item for item in items if item.count),
        key=lambda item: (item.overdue == 0, item.order, item.key),
    )
