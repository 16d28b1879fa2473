"""What an app puts in the web shell: its links in the main menu and its items on the home page.

Each app that has pages keeps a ``home.py`` module with two functions, both optional::

    def nav_links(user: User) -> list[NavLink]: ...   # the menu entries this user may follow
    def work_items(user: User) -> list[WorkItem]: ... # what waits for this user in this app

The ``home`` app (the top of the stack) finds these modules and draws them; nothing here knows
any app, so ``core`` stays the ground floor. The app's policy decides what each user is offered.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class NavLink:
    """One entry of the main menu. ``order`` places it (lower first); labels are translated."""

    key: str
    label: str
    url: str
    order: int = 100


@dataclass(frozen=True)
class WorkItem:
    """One line of a home page's to-do list: what waits, how many, how many are overdue, and
    the list behind it (whose length is ``count``). Never a name: counts and links only."""

    key: str
    title: str
    count: int
    url: str
    overdue: int = 0
    order: int = 100
