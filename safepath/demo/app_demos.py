"""Each app's own demo data, loaded after the demo cases, in an order where each finds what it
needs (referrals between the demo cases; matches among them; statistics over all of it)."""

from __future__ import annotations

import importlib
from typing import Any

APP_DEMOS = (
    "safepath.referrals.demo",
    "safepath.linkage.demo",
    "safepath.finance.demo",
    "safepath.participation.demo",  # after referrals: its feedback is about the demo services
    "safepath.emergency.demo",
    "safepath.online.demo",
    "safepath.evidence.demo",  # last: its statistics cover what the others loaded
)


def load_app_demos() -> dict[str, Any]:
    """Run every app's idempotent ``load_demo()``; what each loaded, by app."""
    loaded: dict[str, Any] = {}
    for name in APP_DEMOS:
        loaded[name.split(".")[1]] = importlib.import_module(name).load_demo()
    return loaded
