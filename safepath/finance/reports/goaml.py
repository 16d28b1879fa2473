"""goAML-style STR XML from an alert, through a per-FIU profile, validated with xmlschema."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

import xmlschema

from safepath.finance.engine.types import Alert
from safepath.finance.reports.narrative import narrative
from safepath.finance.reports.profiles import Profile, ReportError, load_profile

CASH = {"cash_branch", "cash_atm"}


def _sub(parent: ET.Element, tag: str, text: Any = None) -> ET.Element:
    node = ET.SubElement(parent, tag)
    if text is not None:
        node.text = str(text)
    return node


def _opt(parent: ET.Element, tag: str, value: Any, limit: int = 255) -> None:
    if value not in (None, ""):
        _sub(parent, tag, str(value)[:limit])


def _iso(value: Any) -> str:
    if isinstance(value, datetime):
        moment = value if value.tzinfo else value.replace(tzinfo=UTC)
        return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S")
    text = str(value).replace("Z", "+00:00")
    moment = datetime.fromisoformat(text)
    moment = moment if moment.tzinfo else moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S")


def _money(value: Any) -> str:
    return str(Decimal(str(value)).quantize(Decimal("0.01")))


def _person(parent: ET.Element, tag: str, customer: dict[str, Any]) -> None:
    person = _sub(parent, tag)
    _opt(person, "first_name", customer.get("first_name"))
    _opt(person, "last_name", customer.get("last_name") or customer.get("name"))
    _opt(person, "birth_year", customer.get("birth_year"))
    _opt(person, "nationality1", customer.get("nationality"))
    _opt(person, "residence", customer.get("residence_country"))
    _opt(person, "occupation", customer.get("occupation"))


def _client_side(
    side: ET.Element, txn: dict[str, Any], customer: dict[str, Any], entity: dict[str, Any]
) -> None:
    account = _sub(side, "account")
    _opt(account, "institution_name", entity.get("name"))
    _opt(account, "swift", entity.get("swift"))
    _sub(account, "account", txn.get("account_id") or customer.get("customer_id"))
    _opt(account, "currency_code", txn.get("currency"))
    _opt(account, "client_number", customer.get("customer_id"))
    if customer.get("customer_type") == "business":
        ent = _sub(account, "t_entity")
        _sub(ent, "name", (customer.get("name") or customer.get("customer_id")))
        _opt(ent, "incorporation_country_code", customer.get("residence_country"))
    else:
        _person(account, "signatory", customer)
    _opt(side, "country", customer.get("residence_country"))


def _counterparty_side(side: ET.Element, txn: dict[str, Any]) -> None:
    if txn.get("cp_account"):
        account = _sub(side, "account")
        _sub(account, "account", txn["cp_account"])
        if txn.get("cp_name"):
            _person(account, "signatory", {"last_name": txn["cp_name"]})
    else:
        entity = _sub(side, "entity")
        name = (
            txn.get("merchant_name")
            or txn.get("cp_name")
            or txn.get("terminal_id")
            or "Unknown counterparty"
        )
        _sub(entity, "name", str(name)[:255])
    _opt(side, "country", txn.get("cp_country"))


def _transaction(
    report: ET.Element,
    txn: dict[str, Any],
    customer: dict[str, Any],
    profile: Profile,
    entity: dict[str, Any],
    local: str,
) -> None:
    node = _sub(report, "transaction")
    channel = str(txn.get("channel"))
    _sub(node, "transactionnumber", txn["txn_id"])
    _opt(node, "transaction_location", txn.get("merchant_city"))
    description = " ".join(
        str(p)
        for p in (
            channel,
            txn.get("direction"),
            txn.get("merchant_name") or txn.get("cp_name") or "",
            txn.get("memo") or "",
        )
        if p
    )
    _sub(node, "transaction_description", description)
    _sub(node, "date_transaction", _iso(txn.get("ts_utc") or txn.get("ts")))
    _sub(node, "transmode_code", profile.data["transmode"].get(channel, channel.upper()))
    amount_local = (
        txn.get("amount_base") if txn.get("amount_base") is not None else txn.get("amount")
    )
    _sub(node, "amount_local", _money(amount_local))
    funds = profile.data["funds"].get(channel, profile.data["funds"]["default"])
    outgoing = txn.get("direction") == "out"
    first = _sub(node, "t_from_my_client" if outgoing else "t_from")
    _sub(first, "funds_code", funds)
    _foreign(first, txn, local)
    (_client_side if outgoing else _counterparty_side_adapter)(first, txn, customer, entity)
    second = _sub(node, "t_to" if outgoing else "t_to_my_client")
    _sub(second, "funds_code", funds)
    (_counterparty_side_adapter if outgoing else _client_side)(second, txn, customer, entity)


def _counterparty_side_adapter(
    side: ET.Element, txn: dict[str, Any], _c: dict[str, Any], _e: dict[str, Any]
) -> None:
    _counterparty_side(side, txn)


def _foreign(side: ET.Element, txn: dict[str, Any], local: str) -> None:
    currency = str(txn.get("currency") or local)
    if currency == local or txn.get("amount_base") is None:
        return
    amount = Decimal(str(txn["amount"]))
    node = _sub(side, "foreign_currency")
    _sub(node, "foreign_currency_code", currency)
    _sub(node, "foreign_amount", _money(amount))
    rate = Decimal(str(txn["amount_base"])) / amount if amount else Decimal("0")
    _sub(node, "foreign_exchange_rate", str(rate.quantize(Decimal("0.000001"))))


def indicator_codes(alert: Alert, profile: Profile) -> list[str]:
    mapping: dict[str, list[str]] = profile.data.get("indicators", {})
    codes: dict[str, None] = {}
    for hit in alert.hits:
        for code in mapping.get(hit.rule_id, []):
            codes.setdefault(str(code), None)
    if not codes and profile.data.get("default_indicator"):
        codes[str(profile.data["default_indicator"])] = None
    return list(codes)


def render_goaml(
    alert: Alert,
    transactions: list[dict[str, Any]],
    customers: list[dict[str, Any]],
    profile: str | Path,
    reporting_entity: dict[str, Any],
) -> bytes:
    """The STR for ``alert``: its evidence transactions, the customer, the mapped indicators.

    ``reporting_entity``: ``rentity_id`` (int), ``name``, optional ``branch``, ``swift``,
    ``reference`` (defaults to the alert id) and ``reporting_person`` (first/last name, occupation).
    """
    prof = load_profile(profile)
    if prof.format != "goaml":
        raise ReportError([f"profile {prof.id} is not a goAML profile"])
    evidence = set(alert.evidence_txn_ids)
    rows = [t for t in transactions if str(t.get("txn_id")) in evidence]
    if not rows:
        raise ReportError(["none of the alert's evidence transactions were supplied"])
    rows.sort(key=lambda t: str(t.get("ts_utc") or t.get("ts")))
    rows = rows[: int(prof.data.get("max_transactions", 200))]
    customer = next(
        (c for c in customers if str(c.get("customer_id")) == alert.customer_id),
        {"customer_id": alert.customer_id},
    )
    local = str(prof.data.get("currency_code_local", alert.base_currency))
    report = ET.Element("report")
    _sub(report, "rentity_id", int(reporting_entity["rentity_id"]))
    _opt(report, "rentity_branch", reporting_entity.get("branch"))
    _sub(report, "submission_code", prof.data.get("submission_code", "E"))
    _sub(report, "report_code", prof.data.get("report_code", "STR"))
    _sub(report, "entity_reference", str(reporting_entity.get("reference") or alert.alert_id)[:255])
    _sub(
        report,
        "submission_date",
        _iso(reporting_entity.get("submission_date") or datetime.now(tz=UTC)),
    )
    _sub(report, "currency_code_local", local)
    _person(report, "reporting_person", dict(reporting_entity.get("reporting_person") or {}))
    _sub(report, "reason", narrative(alert, rows)[:8000])
    for txn in rows:
        _transaction(report, txn, customer, prof, reporting_entity, local)
    indicators = _sub(report, "report_indicators")
    for code in indicator_codes(alert, prof):
        _sub(indicators, "indicator", code)
    ET.indent(report)
    data: bytes = ET.tostring(report, encoding="utf-8", xml_declaration=True)
    return data


def validate_goaml(xml: bytes, xsd: Path | str | None = None) -> None:
    """Raise ReportError listing every schema violation; the default schema is our test XSD."""
    schema_path = Path(xsd) if xsd else load_profile("test").xsd
    try:
        schema = xmlschema.XMLSchema(str(schema_path))
    except (xmlschema.XMLSchemaException, OSError) as error:
        raise ReportError([f"{schema_path}: cannot load schema: {error}"]) from error
    try:
        errors = [f"{e.path}: {e.reason}" for e in schema.iter_errors(xml.decode("utf-8"))]
    except xmlschema.XMLSchemaException as error:
        errors = [str(error)]
    if errors:
        raise ReportError(errors[:50])
