"""Shared test fixtures: agencies, one user per role, API clients signed in as each."""

from __future__ import annotations

import os

# Playwright's sync API runs an event loop in the test thread; Django's ORM is safe here.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

pytest_plugins = ["safepath.testing.fixtures", "safepath.testing.spark"]
