"""Hosting facts from a WHOIS or RDAP answer the analyst pastes or imports.

ICCAM traces hosting automatically; SafePath has no network access to do that, so the analyst
runs the look-up elsewhere and pastes the answer (WHOIS text, or RDAP JSON). This pulls out the
IP address, the hosting provider (the network's organisation), the registrar and the country.
"""

from __future__ import annotations

import ipaddress
import json
import re
from dataclasses import dataclass
from typing import Any

KEYS = {
    "registrar": ("registrar", "sponsoring registrar", "registrar name"),
    "provider": (
        "orgname",
        "org-name",
        "organization",
        "organisation",
        "owner",
        "netname",
        "descr",
        "customer",
    ),
    "country": ("country", "registrant country", "admin country"),
}
IP = re.compile(r"\b(?:\d{1,3}\.){3}\d{1,3}\b|\b[0-9a-fA-F:]{3,39}:[0-9a-fA-F]{1,4}\b")


@dataclass(frozen=True)
class Hosting:
    ip: str = ""
    provider: str = ""
    registrar: str = ""
    country: str = ""


def _ip(text: str) -> str:
    for candidate in IP.findall(text):
        try:
            return str(ipaddress.ip_address(candidate))
        except ValueError:
            continue
    return ""


def _country(value: str) -> str:
    value = value.strip().upper()
    return value if re.fullmatch(r"[A-Z]{2}", value) else ""


def _rdap(data: dict[str, Any]) -> Hosting:
    provider = ""
    registrar = ""
    for entity in data.get("entities", []) or []:
        roles = entity.get("roles", []) or []
        card = entity.get("vcardArray", [None, []])[1] if entity.get("vcardArray") else []
        name = next((item[3] for item in card if item and item[0] == "fn"), "")
        if "registrar" in roles and not registrar:
            registrar = str(name)
        if ("registrant" in roles or "abuse" in roles) and not provider:
            provider = str(name)
    return Hosting(
        ip=_ip(str(data.get("startAddress", ""))),
        provider=provider or str(data.get("name", "")),
        registrar=registrar,
        country=_country(str(data.get("country", ""))),
    )


def parse_lookup(text: str) -> Hosting:
    """The facts found in ``text`` (empty strings for what is not there)."""
    text = text.strip()[:100_000]
    if text.startswith("{"):
        try:
            data = json.loads(text)
        except ValueError:
            data = None
        if isinstance(data, dict):
            return _rdap(data)
    found: dict[str, str] = {}
    for line in text.splitlines():
        if ":" not in line:
            continue
        key, _, value = line.partition(":")
        key, value = key.strip().lower(), value.strip()
        if not value:
            continue
        for field, names in KEYS.items():
            if key in names and field not in found:
                found[field] = value[:200]
    return Hosting(
        ip=_ip(text),
        provider=found.get("provider", ""),
        registrar=found.get("registrar", ""),
        country=_country(found.get("country", "")),
    )
