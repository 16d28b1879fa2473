"""Demo data of the evidence app: the ``cases`` source from the demo cases, and a small
CTDC-style source beside it, so the dashboard and a country-versus-global reading work at once.

The CTDC-style rows are generated here (synthetic, in the 2022 victim-perpetrator schema's
format); no CTDC file is copied into the demo. Running ``load_demo`` twice leaves the same
store: each source is replaced, never appended to.
"""

from __future__ import annotations

import csv
import random
import tempfile
from pathlib import Path
from typing import Any

from safepath.audit.models import Channel
from safepath.evidence.engine.dimensions import CASES_SOURCE
from safepath.evidence.selectors import analysis_store
from safepath.evidence.services import source_import_ctdc
from safepath.evidence.tasks import cases_source_refresh

CTDC_DEMO_SOURCE = "ctdc_demo"
CTDC_DEMO_ROWS = 400
_SEED = 2022

# The 2022 victim-perpetrator synthetic file's header, in its order (CTDC, 1 Dec 2022).
VP_HEADER = (
    "yearRegister",
    "gender",
    "majorityStatus",
    "isForcedLabour",
    "isSexualExploit",
    "UN_COO_Region",
    "UN_COE_Region",
    "IP_Exploiter",
    "IP_Gender",
    "IP_ageBroad",
    "IP_citizen_UNRegion",
    "IP_Relation",
    "IP_PayMoney",
    "IP_RecruiterBroker",
    "IP_TransactionProcess",
    "IP_ControlAbuseKidnap",
)
_REGIONS = ("Africa", "Americas/Oceania", "Asia", "Europe", "")


def _vp_row(rng: random.Random) -> dict[str, str]:
    origin = rng.choice(_REGIONS)
    labour = rng.random() < 0.6
    return {
        "yearRegister": rng.choice(("2005-2013", "2014-2018", "2019", "2020", "2021-2022", "")),
        "gender": rng.choice(("Female", "Female", "Male", "")),
        "majorityStatus": rng.choice(("Adult", "Adult", "Adult", "Minor", "")),
        "isForcedLabour": "1" if labour else "",
        "isSexualExploit": "" if labour and rng.random() < 0.8 else "1",
        "UN_COO_Region": origin,
        "UN_COE_Region": origin if rng.random() < 0.7 else rng.choice(_REGIONS),
        "IP_Exploiter": rng.choice(("1", "")),
        "IP_Gender": rng.choice(("Female", "Male", "Female;Male", "")),
        "IP_ageBroad": rng.choice(("0--29", "30--38", "39--47", "48+", "")),
        "IP_citizen_UNRegion": origin,
        "IP_Relation": rng.choice(("StrangerUnknownOther", "FriendAcquaintance", "")),
        "IP_PayMoney": rng.choice(("No", "Yes", "")),
        "IP_RecruiterBroker": rng.choice(("1", "")),
        "IP_TransactionProcess": rng.choice(("1", "")),
        "IP_ControlAbuseKidnap": rng.choice(("1", "")),
    }


def write_ctdc_demo_file(path: Path, rows: int = CTDC_DEMO_ROWS) -> Path:
    """A synthetic CSV in the victim-perpetrator schema (same seed, same file)."""
    rng = random.Random(_SEED)  # noqa: S311 - synthetic demo data, not security
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=VP_HEADER)
        writer.writeheader()
        for _ in range(rows):
            writer.writerow(_vp_row(rng))
    return path


def load_demo() -> dict[str, Any]:
    """Refresh ``cases`` from the demo cases and (re)load the CTDC-style demo source."""
    refreshed = cases_source_refresh(store=analysis_store())
    with tempfile.TemporaryDirectory(prefix="safepath-ctdc-demo-") as folder:
        path = write_ctdc_demo_file(Path(folder) / "ctdc_vp_demo.csv")
        info = source_import_ctdc(path=path, name=CTDC_DEMO_SOURCE, channel=Channel.SYSTEM)
    return {CASES_SOURCE: refreshed.rows, CTDC_DEMO_SOURCE: info.rows}
