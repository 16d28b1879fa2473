"""deploy/smoke.sh brings up production SafePath on PostgreSQL and passes its smoke test.

It runs once, in the PostgreSQL pass of `make test` (it needs a PostgreSQL superuser, which
SAFEPATH_TEST_DATABASE_URL names), on a database of its own: <test database>_smoke.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from urllib.parse import urlsplit

import pytest

ROOT = Path(__file__).resolve().parents[3]
SCRIPT = ROOT / "deploy" / "smoke.sh"


@pytest.mark.slow
@pytest.mark.skipif(
    not os.environ.get("SAFEPATH_TEST_DATABASE_URL"),
    reason="needs PostgreSQL (SAFEPATH_TEST_DATABASE_URL): runs in the PostgreSQL pass",
)
def test_the_deployment_script_brings_up_production_and_passes_its_smoke_test() -> None:
    url = urlsplit(os.environ["SAFEPATH_TEST_DATABASE_URL"])
    env = {
        "PATH": os.environ["PATH"],
        "HOME": os.environ.get("HOME", "/tmp"),  # noqa: S108 - only where HOME is unset
        "SMOKE_PG": f"{url.scheme}://{url.netloc}",
        "SMOKE_DATABASE": (url.path.strip("/") or "safepath") + "_smoke",
        "SMOKE_VENV": str(Path(sys.executable).parent.parent),
    }
    done = subprocess.run(  # noqa: S603 - our own script
        ["/bin/bash", str(SCRIPT)],
        env=env,
        capture_output=True,
        text=True,
        timeout=900,
        check=False,
    )
    assert done.returncode == 0, done.stdout[-4000:] + done.stderr[-4000:]
    assert "SMOKE PASSED" in done.stdout
    for reached in ("healthz:", "sign-in: 302", '"role":"coordinator"', "tasks run by the worker"):
        assert reached in done.stdout
