"""ISO 20022 camt.053 bank statements -> canonical transactions, schema-checked first.

The schema (``schemas/camt053_minimal.xsd``) is SafePath's own minimal one, modelled on the
published structure; ISO's full XSDs can be passed instead (``xsd=``). XML is read through
xmlschema's resource loader with entity expansion defused.
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path
from typing import Any

import pandas as pd
import xmlschema

from safepath.finance.engine import schema
from safepath.finance.engine.types import MAX_PROBLEMS, InputError, Problem

SCHEMA_TEMPLATE = Path(__file__).resolve().parent / "schemas" / "camt053_minimal.xsd"
NAMESPACE = re.compile(r"^urn:iso:std:iso:20022:tech:xsd:camt\.053\.001\.\d{2}$")
# ISO 20022 bank transaction codes (Domain/Family/SubFamily) -> our channels.
FAMILY_CHANNELS = {
    "CCRD": "card_pos",
    "MCRD": "card_pos",
    "POSD": "card_pos",
    "CWDL": "cash_atm",
    "CDPT": "cash_branch",
    "CNTR": "cash_branch",
    "RDDT": "ach",
    "IDDT": "ach",
    "ICDT": "wire",
    "RCDT": "wire",
    "ICHQ": "cheque",
    "RCHQ": "cheque",
    "CHK": "cheque",
}
SUBFAMILY_CHANNELS = {
    "CWDL": "cash_atm",
    "CDPT": "cash_branch",
    "ATMD": "cash_atm",
    "POSD": "card_pos",
    "ESCT": "wire",
    "SALA": "ach",
}


@lru_cache(maxsize=8)
def _schema(namespace: str, xsd: str | None) -> xmlschema.XMLSchemaBase:
    if xsd:
        return xmlschema.XMLSchema(xsd)
    text = SCHEMA_TEMPLATE.read_text(encoding="utf-8").replace(
        "<xs:schema ", f'<xs:schema targetNamespace="{namespace}" xmlns="{namespace}" ', 1
    )
    return xmlschema.XMLSchema11(text)


def _text(node: Any, path: str, ns: dict[str, str]) -> str | None:
    found = node.find(path, ns)
    if found is None or found.text is None:
        return None
    return str(found.text).strip() or None


def _account_id(node: Any, ns: dict[str, str]) -> str | None:
    if node is None:
        return None
    return _text(node, "c:Id/c:IBAN", ns) or _text(node, "c:Id/c:Othr/c:Id", ns)


def _channel(entry: Any, ns: dict[str, str]) -> str:
    sub = _text(entry, "c:BkTxCd/c:Domn/c:Fmly/c:SubFmlyCd", ns)
    fam = _text(entry, "c:BkTxCd/c:Domn/c:Fmly/c:Cd", ns)
    prop = (_text(entry, "c:BkTxCd/c:Prtry/c:Cd", ns) or "").upper()
    for code, table in ((sub, SUBFAMILY_CHANNELS), (fam, FAMILY_CHANNELS)):
        if code and code in table:
            return table[code]
    return next((ch for ch in schema.CHANNELS if ch == prop.lower()), "wire")


def read_camt053(
    path: Path | str, *, xsd: Path | str | None = None
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(transactions, customers) in the canonical layout; InputError when the schema fails."""
    label = str(path)
    try:
        resource = xmlschema.XMLResource(str(path), defuse="always", lazy=False)
    except (xmlschema.XMLResourceError, OSError, SyntaxError) as error:
        raise InputError([Problem(label, None, None, f"not well-formed XML: {error}")]) from error
    root = resource.root
    namespace = root.tag[1:].split("}")[0] if root.tag.startswith("{") else ""
    if not NAMESPACE.match(namespace):
        raise InputError(
            [Problem(label, None, "Document", f"not a camt.053 namespace: {namespace or 'none'}")]
        )
    checker = _schema(namespace, str(xsd) if xsd else None)
    problems = [
        Problem(label, getattr(e, "sourceline", None), e.path or None, str(e.reason or e.message))
        for e in checker.iter_errors(resource)
    ][:MAX_PROBLEMS]
    if problems:
        raise InputError(problems)
    ns = {"c": namespace}
    rows: list[dict[str, Any]] = []
    customers: dict[str, dict[str, Any]] = {}
    for stmt in root.iterfind("c:BkToCstmrStmt/c:Stmt", ns):
        account = _account_id(stmt.find("c:Acct", ns), ns) or _text(stmt, "c:Id", ns) or "unknown"
        owner = (
            _text(stmt, "c:Acct/c:Ownr/c:Id/c:OrgId/c:Othr/c:Id", ns)
            or _text(stmt, "c:Acct/c:Ownr/c:Id/c:PrvtId/c:Othr/c:Id", ns)
            or account
        )
        customers.setdefault(owner, {"customer_id": owner, "customer_type": None})
        for n, entry in enumerate(stmt.iterfind("c:Ntry", ns), start=1):
            rows.extend(
                _entry_rows(entry, ns, _text(stmt, "c:Id", ns) or "stmt", n, owner, account)
            )
    frame = pd.DataFrame(rows, columns=list(schema.TRANSACTION_COLUMNS), dtype=object)
    frame = frame.astype(object).where(frame.notna(), None)
    return frame, pd.DataFrame(
        list(customers.values()), columns=["customer_id", "customer_type"], dtype=object
    )


def _entry_rows(
    entry: Any, ns: dict[str, str], stmt_id: str, n: int, owner: str, account: str
) -> list[dict[str, Any]]:
    amount_node = entry.find("c:Amt", ns)
    credit = _text(entry, "c:CdtDbtInd", ns) == "CRDT"
    booked = (
        _text(entry, "c:BookgDt/c:DtTm", ns) or f"{_text(entry, 'c:BookgDt/c:Dt', ns)}T00:00:00Z"
    )
    details = entry.findall("c:NtryDtls/c:TxDtls", ns) or [None]
    rows = []
    for k, tx in enumerate(details, start=1):
        node = tx if tx is not None else entry
        party = "c:RltdPties/c:Dbtr" if credit else "c:RltdPties/c:Cdtr"
        party_acct = "c:RltdPties/c:DbtrAcct" if credit else "c:RltdPties/c:CdtrAcct"
        cp_account = _account_id(node.find(party_acct, ns), ns) if tx is not None else None
        cp_country = (
            _text(node, f"{party}/c:PstlAdr/c:Ctry", ns)
            or _text(node, f"{party}/c:Pty/c:PstlAdr/c:Ctry", ns)
            or (cp_account[:2] if cp_account and cp_account[:2].isalpha() else None)
        )
        amount_tx = node.find("c:AmtDtls/c:TxAmt/c:Amt", ns) if tx is not None else None
        amount = amount_tx if amount_tx is not None and len(details) > 1 else amount_node
        ref = (
            _text(node, "c:Refs/c:AcctSvcrRef", ns)
            or _text(node, "c:Refs/c:TxId", ns)
            or _text(entry, "c:AcctSvcrRef", ns)
            or _text(entry, "c:NtryRef", ns)
            or f"{stmt_id}-{n}"
        )
        memo = (
            " ".join(u.text.strip() for u in node.iterfind("c:RmtInf/c:Ustrd", ns) if u.text)
            or None
        )
        rows.append(
            {
                "txn_id": ref if len(details) == 1 else f"{ref}-{k}",
                "ts_utc": booked,
                "customer_id": owner,
                "account_id": account,
                "amount": (amount.text or "").strip(),
                "currency": amount.get("Ccy"),
                "direction": "in" if credit else "out",
                "channel": _channel(entry, ns),
                "cp_name": _text(node, f"{party}/c:Nm", ns)
                or _text(node, f"{party}/c:Pty/c:Nm", ns),
                "cp_account": cp_account,
                "cp_country": cp_country,
                "memo": memo,
                "purpose_code": _text(node, "c:Purp/c:Cd", ns),
            }
        )
    return rows
