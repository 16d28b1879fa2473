"""A real OpenID provider for the single sign-on tests: node ``oidc-provider`` (tests/oidc,
installed by ``make oidc-deps``, i.e. ``npm ci``) on 127.0.0.1, and a helper that walks a sign-in
through it the way a browser does: SafePath's redirect, the provider's login form, the provider's
redirect back with a code."""

from __future__ import annotations

import json
import os
import queue
import shutil
import subprocess
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urljoin, urlsplit

import pytest
import requests

OIDC_DIR = Path(__file__).resolve().parents[2] / "tests" / "oidc"
CLIENT_ID = "safepath-test"
CLIENT_SECRET = "test-only-client-secret-0123456789"  # noqa: S105 - the test provider's, no other

# Synthetic people at the test provider. Groups map to SafePath roles by the rules each test
# sets; amr/acr say how the provider signed them in.
ACCOUNTS: dict[str, dict[str, Any]] = {
    "cw-a": {
        "claims": {
            "groups": ["staff", "cp-agency-a-caseworkers"],
            "given_name": "Testcase",
            "family_name": "Worker-Alpha",
            "preferred_username": "tc.alpha",
            "email": "tc.alpha@example.org",
        },
        "amr": ["pwd"],
    },
    "cw-a-otp": {
        "claims": {"groups": ["cp-agency-a-caseworkers"], "preferred_username": "tc.otp"},
        "amr": ["pwd", "otp"],
    },
    "sup-b-acr": {
        "claims": {"groups": ["cp-agency-b-supervisors"], "preferred_username": "sup.b"},
        "amr": ["pwd"],
        "acr": "urn:safepath:test:loa-high",
    },
    "both": {
        "claims": {
            "groups": ["cp-agency-b-supervisors", "cp-agency-a-caseworkers"],
            "preferred_username": "both",
        },
        "amr": ["pwd", "mfa"],
    },
    "stranger": {
        "claims": {"groups": ["finance"], "given_name": "Nomatch", "family_name": "Person"},
        "amr": ["pwd", "mfa"],
    },
}


@dataclass
class OpenIdProvider:
    issuer: str
    process: subprocess.Popen[str]

    def settings_for(self, key: str = "test", **overrides: Any) -> dict[str, dict[str, Any]]:
        """The value of settings.OIDC_PROVIDERS that points SafePath at this provider."""
        conf: dict[str, Any] = {
            "issuer": self.issuer,
            "client_id": CLIENT_ID,
            "client_secret": CLIENT_SECRET,
            "label": "Test ID",
            "scopes": "openid profile email groups",
            "mfa_amr": ["mfa", "otp", "hwk"],
            "mfa_acr": ["urn:safepath:test:loa-high"],
        }
        conf.update(overrides)
        return {key: conf}


@contextmanager
def running_provider(redirect_uris: list[str]) -> Iterator[OpenIdProvider]:
    node = shutil.which("node")
    if node is None or not (OIDC_DIR / "node_modules" / "oidc-provider").is_dir():
        pytest.fail(
            "the single sign-on tests need Node.js and tests/oidc/node_modules: run "
            "`make oidc-deps` (npm ci in tests/oidc)"
        )
    config = {
        "clients": [
            {
                "client_id": CLIENT_ID,
                "client_secret": CLIENT_SECRET,
                "redirect_uris": redirect_uris,
            }
        ],
        "accounts": ACCOUNTS,
    }
    env = {**os.environ, "OIDC_TEST_CONFIG": json.dumps(config)}
    process = subprocess.Popen(  # noqa: S603 - our own script, no shell
        [node, "server.mjs"],
        cwd=OIDC_DIR,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    lines: queue.Queue[str] = queue.Queue()
    assert process.stdout is not None
    stdout = process.stdout
    threading.Thread(target=lambda: [lines.put(line) for line in stdout], daemon=True).start()
    try:
        first = lines.get(timeout=30)
    except queue.Empty:
        process.kill()
        pytest.fail("the test OpenID provider did not start within 30 seconds")
    if not first.startswith("issuer "):
        process.kill()
        pytest.fail(f"the test OpenID provider said {first!r} instead of its issuer")
    try:
        yield OpenIdProvider(issuer=first.split()[1], process=process)
    finally:
        process.terminate()
        process.wait(timeout=10)


def through_provider(start: str, *, login: str, issuer: str, timeout: float = 10) -> str:
    """Follow SafePath's redirect to the provider, sign in there as ``login``, and return the
    URL the provider sends the browser back to (SafePath's callback with code and state)."""
    browser = requests.Session()
    url, answer = start, None
    for _step in range(12):
        if not url.startswith(issuer):
            return url
        answer = browser.get(url, allow_redirects=False, timeout=timeout)
        if answer.status_code in {302, 303}:
            url = urljoin(url, answer.headers["Location"])
            continue
        path = urlsplit(url).path
        if answer.status_code == 200 and path.startswith("/interaction/"):
            answer = browser.post(
                f"{issuer}{path}/login", data={"login": login}, allow_redirects=False
            )
            url = urljoin(url, answer.headers["Location"])
            continue
        break
    raise AssertionError(f"the provider answered {answer and answer.status_code} at {url}")
