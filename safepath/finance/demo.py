"""Demo data for the finance app: a small synthetic bank screened for the demo FIU.

The engine's generator makes a few hundred synthetic customers with ordinary behaviour plus
injected, labelled typologies; the same run path as an upload screens them, so the demo's
alerts are what the engine really finds. Idempotent: a second call adds nothing.
"""

from __future__ import annotations

import hashlib
import tempfile
from dataclasses import dataclass
from pathlib import Path

from safepath.accounts.models import Agency, User
from safepath.finance.models import FinancialAlert, RunStatus, ScreeningRun
from safepath.finance.tasks import run_engine

DEMO_AGENCY = "fiu"
DEMO_ANALYST = "fiu.analyst"
DEMO_CUSTOMERS = 300
DEMO_DAYS = 60
DEMO_SEED = 7
DEMO_INJECTED_SHARE = 0.05


@dataclass(frozen=True)
class DemoResult:
    alerts: int
    created: bool


def _fingerprint(path: Path) -> dict[str, object]:
    body = path.read_bytes()
    return {
        "sha256": hashlib.sha256(body).hexdigest(),
        "size": len(body),
        "format": path.suffix.lstrip("."),
    }


def load_demo(
    *, customers: int = DEMO_CUSTOMERS, days: int = DEMO_DAYS, seed: int = DEMO_SEED
) -> DemoResult:
    """Screen a synthetic bank for the demo FIU unless its alerts are already there."""
    from safepath.finance.engine.synth import SynthConfig, generate

    agency = Agency.objects.get(code=DEMO_AGENCY)
    analyst = User.objects.get(username=DEMO_ANALYST)
    existing = FinancialAlert.objects.filter(agency=agency).count()
    if existing or ScreeningRun.objects.filter(agency=agency, status=RunStatus.DONE).exists():
        return DemoResult(alerts=existing, created=False)
    run = ScreeningRun(agency=agency, uploaded_by=analyst, base_currency="USD")
    with tempfile.TemporaryDirectory(prefix="safepath-finance-demo-") as directory:
        config = SynthConfig(
            customers=customers, days=days, seed=seed, injected_share=DEMO_INJECTED_SHARE
        )
        output = generate(config, Path(directory), fmt="csv")
        run.files = {
            "transactions": _fingerprint(output.transactions),
            "customers": _fingerprint(output.customers),
        }
        run.status = RunStatus.RUNNING
        run.save()
        paths = {"transactions": output.transactions, "customers": output.customers}
        run = run_engine(run, paths)
    return DemoResult(alerts=run.alerts_raised, created=True)
