"""The worker's half of a screening run: run the engine on the kept files, store what it found.

The evidence an alert keeps (its customer's profile row and the transactions behind its hits)
is read back through the engine's own loader, so a bank's column mapping applies to it too.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Mapping
from dataclasses import asdict, dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

from django_tasks import task

from safepath.core.crypto import DecryptionError
from safepath.finance import uploads
from safepath.finance.models import ScreeningRun
from safepath.finance.services import (
    screening_run_claim,
    screening_run_complete,
    screening_run_fail,
)

logger = logging.getLogger(__name__)

# The columns an alert keeps of each evidence transaction and of its customer.
TRANSACTION_FIELDS = (
    "txn_id",
    "ts_utc",
    "customer_id",
    "account_id",
    "amount",
    "currency",
    "amount_base",
    "direction",
    "channel",
    "cp_name",
    "cp_account",
    "cp_country",
    "mcc",
    "merchant_name",
    "merchant_city",
    "memo",
)
CUSTOMER_FIELDS = (
    "customer_id",
    "customer_type",
    "open_date",
    "occupation",
    "residence_country",
    "residence_city",
    "nationality",
    "birth_year",
    "expected_monthly_volume",
)


@dataclass
class EvidenceRows:
    transactions: dict[str, dict[str, Any]] = field(default_factory=dict)
    customers: dict[str, dict[str, Any]] = field(default_factory=dict)


def input_names(run: ScreeningRun) -> dict[str, str]:
    """Each kept file's name by its role: ``{"transactions": "transactions.csv", ...}``."""
    return {
        role: f"{role}.{info['format']}"
        for role, info in run.files.items()
        if isinstance(info, dict)
    }


CENTS = Decimal("0.01")


def _text(value: Any) -> Any:
    """A cell as JSON: text, numbers as text (amounts stay exact), missing as None."""
    if value is None or isinstance(value, str | bool | int):
        return value
    if isinstance(value, Decimal):  # 9000.000000 -> 9000.00; 0.125 stays 0.125
        cents = value.quantize(CENTS)
        return format(cents if cents == value else value.normalize(), "f")
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return str(value)


def _select(con: Any, table: str, key: str, wanted: Iterable[str], fields: tuple[str, ...]) -> Any:
    present = {row[0] for row in con.execute(f"DESCRIBE {table}").fetchall()}
    columns = [name for name in fields if name in present]
    if "ts_utc" in fields and "ts_utc" not in present and "ts" in present:
        columns.append("ts AS ts_utc")
    con.execute("CREATE OR REPLACE TEMP TABLE wanted(k VARCHAR)")
    con.executemany("INSERT INTO wanted VALUES (?)", [[value] for value in wanted])
    cursor = con.execute(
        f"SELECT {', '.join(columns)} FROM {table} WHERE {key} IN (SELECT k FROM wanted)"  # noqa: S608
    )
    names = [description[0] for description in cursor.description]
    return [dict(zip(names, (_text(v) for v in row), strict=True)) for row in cursor.fetchall()]


def evidence_rows(
    alerts: Iterable[Any],
    transactions: Any,
    customers: Any,
    *,
    mapping: Any = None,
    base_currency: str = "USD",
) -> EvidenceRows:
    """The rows behind the alerts, in the canonical layout (the engine's loader maps columns)."""
    import duckdb

    from safepath.finance.engine import loading, money

    alerts = list(alerts)
    rows = EvidenceRows()
    if not alerts:
        return rows
    txn_ids = {t for alert in alerts for hit in alert.hits for t in hit.evidence_txn_ids}
    customer_ids = {alert.customer_id for alert in alerts}
    con = duckdb.connect()
    try:
        loading.load_inputs(
            con,
            transactions,
            customers,
            mapping=loading.load_mapping(mapping),
            base_rates=money.rates_to_base(money.load_rates(), base_currency),
        )
        for row in _select(con, "txn", "txn_id", txn_ids, TRANSACTION_FIELDS):
            rows.transactions[str(row["txn_id"])] = row
        for row in _select(con, "cust", "customer_id", customer_ids, CUSTOMER_FIELDS):
            rows.customers[str(row["customer_id"])] = row
    finally:
        con.close()
    return rows


def _sources(paths: Mapping[str, Path]) -> tuple[Any, Any]:
    """What the engine reads: file paths, or a camt.053 statement's tables (its account owners
    are the customers when no customers file came with it)."""
    transactions: Any = str(paths["transactions"])
    customers: Any = str(paths["customers"]) if "customers" in paths else None
    if paths["transactions"].suffix == ".xml":
        from safepath.finance.engine.camt053 import read_camt053

        transactions, owners = read_camt053(paths["transactions"])
        if customers is None:
            customers = owners
    return transactions, customers


def _located(paths: Mapping[str, Path], problems: Iterable[Any]) -> list[dict[str, Any]]:
    """The problems, naming the uploaded file by its role, never the server's path to it."""
    directory = str(next(iter(paths.values())).parent)
    located = []
    for problem in problems:
        row = asdict(problem)
        if str(row["file"]).startswith(directory):
            row["file"] = Path(row["file"]).name
        row["message"] = str(row["message"]).replace(directory + "/", "")
        located.append(row)
    return located


def run_engine(run: ScreeningRun, paths: Mapping[str, Path]) -> ScreeningRun:
    """Screen the files; store alerts or the input problems."""
    from safepath.finance.engine import InputError, screen

    mapping = str(paths["mapping"]) if "mapping" in paths else None
    try:
        transactions, customers = _sources(paths)
        result = screen(transactions, customers, mapping=mapping, base_currency=run.base_currency)
    except InputError as error:
        return screening_run_fail(run=run, problems=_located(paths, error.problems))
    try:
        rows = evidence_rows(
            result.alerts,
            transactions,
            customers,
            mapping=mapping,
            base_currency=run.base_currency,
        )
    except Exception:  # the alerts stand without their rows; the analyst sees the ids only
        logger.exception("finance run %s: evidence rows could not be read", run.id)
        rows = EvidenceRows()
    return screening_run_complete(
        run=run, result=result, transactions=rows.transactions, customers=rows.customers
    )


@task()
def screening_run_execute(run_id: str) -> str:
    """Run by the worker after the upload commits; returns the run's final status."""
    run = screening_run_claim(run_id=run_id)
    if run is None:
        return "skipped"  # finished or taken by another worker: nothing is stored twice
    try:
        names = input_names(run)
        with uploads.opened(run.id, names.values()) as clear:
            run = run_engine(run, {role: clear[name] for role, name in names.items()})
    except DecryptionError:
        logger.exception("finance run %s: a kept file did not open", run.id)
        message = (
            "A kept file could not be opened: it was changed on disk or its key is gone. "
            "Upload the files again."
        )
        run = _failed(run, message)
    except Exception:
        logger.exception("finance run %s failed", run.id)
        run = _failed(
            run, "The screening stopped unexpectedly; ask an administrator to check the logs."
        )
    finally:
        uploads.discard(run.id)
    return str(run.status)


def _failed(run: ScreeningRun, message: str) -> ScreeningRun:
    return screening_run_fail(
        run=run, problems=[{"file": "", "row": None, "field": None, "message": message}]
    )
