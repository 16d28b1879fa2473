"""Background work of the evidence app: refreshing the ``cases`` source of the analysis store.

The worker (``safepath worker``) runs ``refresh_analysis_store``; ``safepath evidence_refresh``
runs the same refresh at once or queues it. The refresh reads only the de-identified columns
(``extract.py``) and swaps the source in one transaction, so readers never see half an extract.
"""

from __future__ import annotations

import logging
import time
from dataclasses import asdict, dataclass
from typing import Any

from django_tasks import task

from safepath.audit.models import Action, Channel
from safepath.audit.services import Actor, audit_record
from safepath.evidence.engine.dimensions import CASES_SOURCE, cases_dimensions
from safepath.evidence.engine.store import AnalysisStore
from safepath.evidence.extract import cases_extract
from safepath.evidence.selectors import analysis_store

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class RefreshResult:
    source: str
    rows: int
    extract_seconds: float
    load_seconds: float

    def to_json(self) -> dict[str, Any]:
        return asdict(self)


def cases_source_refresh(
    *, store: AnalysisStore | None = None, channel: str = Channel.SYSTEM
) -> RefreshResult:
    """Rebuild the ``cases`` source from the case tables; audited as one export of counts."""
    store = store or analysis_store()
    started = time.perf_counter()
    table = cases_extract()
    extracted = time.perf_counter()
    store.replace_source(
        CASES_SOURCE, table, cases_dimensions(), schema="safepath", origin="case records"
    )
    loaded = time.perf_counter()
    result = RefreshResult(
        source=CASES_SOURCE,
        rows=table.num_rows,
        extract_seconds=round(extracted - started, 3),
        load_seconds=round(loaded - extracted, 3),
    )
    audit_record(
        actor=Actor.system(channel),
        action=Action.EXPORT,
        object_type="evidence.source",
        object_id=CASES_SOURCE,
        purpose="analysis store refresh",
        details={"rows": result.rows},
    )
    logger.info("evidence source %s refreshed: %d rows", CASES_SOURCE, result.rows)
    return result


@task()
def refresh_analysis_store() -> dict[str, Any]:
    """Run by the worker (for example nightly, or after a bulk import of cases)."""
    return cases_source_refresh(channel=Channel.SYSTEM).to_json()
