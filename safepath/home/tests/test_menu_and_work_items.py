"""The menu and the home page's to-do list are collected from each app's ``home.py``."""

from __future__ import annotations

from collections.abc import Callable
from types import SimpleNamespace

import pytest

from safepath.accounts.models import User
from safepath.accounts.roles import Role
from safepath.core.menu import NavLink, WorkItem
from safepath.home import registry
from safepath.testing.fixtures import web_client_for


@pytest.mark.parametrize(
    ("role", "agency", "expected"),
    [
        (Role.CASEWORKER, "agency_a", {"cases", "screening", "services", "referrals"}),
        (Role.COORDINATOR, "coordination", {"statistics"}),
    ],
)
def test_each_role_gets_the_links_its_policies_allow_and_no_other_apps(
    request: pytest.FixtureRequest,
    make_user: Callable[..., User],
    role: str,
    agency: str,
    expected: set[str],
) -> None:
    user = make_user(role, request.getfixturevalue(agency))
    keys = {link.key for link in registry.nav_links(user)}
    assert expected <= keys
    assert not ({"cases", "statistics", "finance"} - expected) & keys
    html = web_client_for(user).get("/").content.decode()
    for key in keys:
        assert f'data-nav="{key}"' in html


def test_work_items_put_overdue_first_and_drop_empty_ones(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    items = [
        WorkItem("a.quiet", "Quiet", 0, "/a/"),
        WorkItem("b.waiting", "Waiting", 3, "/b/", order=1),
        WorkItem("c.late", "Late", 2, "/c/", overdue=1, order=50),
    ]
    fake = SimpleNamespace(work_items=lambda user: items, nav_links=lambda user: [])
    monkeypatch.setattr(registry, "_modules", lambda: (fake,))

    assert [item.key for item in registry.work_items(None)] == ["c.late", "b.waiting"]  # type: ignore[arg-type]


def test_links_are_sorted_by_order(monkeypatch: pytest.MonkeyPatch) -> None:
    links = [NavLink("z", "Z", "/z/", order=5), NavLink("a", "A", "/a/", order=9)]
    fake = SimpleNamespace(nav_links=lambda user: links)
    monkeypatch.setattr(registry, "_modules", lambda: (fake,))

    assert [link.key for link in registry.nav_links(None)] == ["z", "a"]  # type: ignore[arg-type]
