"""A hotline report as XML in the structure of NCMEC's CyberTipline report (our own schema).

Pure: takes plain values, returns bytes; ``validate_cybertip`` checks them against
``safepath_cybertip.xsd`` with xmlschema, as the finance app checks goAML. The media is never
part of the file: only its hashes, the matches against banks, and the analyst's assessment.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from datetime import UTC, datetime
from functools import cache
from pathlib import Path
from typing import Any

SCHEMA = Path(__file__).resolve().parent / "safepath_cybertip.xsd"
SCHEMA_VERSION = "safepath-cybertip-1"

# What a hotline report's kind and flags become in the CyberTipline vocabulary.
INCIDENT_TYPES = {
    "image": "Child Pornography (possession, manufacture, and distribution)",
    "video": "Child Pornography (possession, manufacture, and distribution)",
    "live_stream": "Child Pornography (possession, manufacture, and distribution)",
    "chat": "Online Enticement of Children for Sexual Acts",
    "advert": "Child Sex Trafficking",
    "other": "Misleading Words or Digital Images on the Internet",
}
ANNOTATIONS = ("sextortion", "csamSolicitation", "minorToMinorInteraction", "informational")


class ReportError(ValueError):
    def __init__(self, errors: list[str]) -> None:
        self.errors = errors
        super().__init__("; ".join(errors))


@dataclass(frozen=True)
class CyberTipFile:
    file_id: str
    md5: str = ""
    sha1: str = ""
    pdq: str = ""
    matches: tuple[tuple[str, str, int], ...] = ()  # (bank, hash type, distance)


@dataclass(frozen=True)
class CyberTipLawEnforcement:
    agency_name: str
    case_number: str = ""
    reported: bool = True


@dataclass(frozen=True)
class CyberTipInput:
    reference: str
    organisation: str
    kind: str
    incident_at: datetime
    url: str = ""
    platform: str = ""
    country: str = ""
    high_priority: bool = False
    annotations: tuple[str, ...] = ()
    classification: str = ""
    content_type: str = ""
    apparent_age_group: str = ""
    hosting_country: str = ""
    assessed_at: datetime | None = None
    files: tuple[CyberTipFile, ...] = ()
    law_enforcement: CyberTipLawEnforcement | None = None
    timeline: tuple[tuple[str, datetime], ...] = field(default=())
    additional_info: str = ""


def _iso(moment: datetime) -> str:
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _sub(parent: ET.Element, tag: str, text: Any = None, **attributes: str) -> ET.Element:
    node = ET.SubElement(parent, tag, attributes)
    if text is not None:
        node.text = str(text)
    return node


def _bool(value: bool) -> str:
    return "true" if value else "false"


def render_cybertip(data: CyberTipInput) -> bytes:
    root = ET.Element("report", {"schemaVersion": SCHEMA_VERSION})
    summary = _sub(root, "incidentSummary")
    _sub(summary, "incidentType", INCIDENT_TYPES.get(data.kind, INCIDENT_TYPES["other"]))
    if data.platform:
        _sub(summary, "platform", data.platform[:255])
    _sub(summary, "escalateToHighPriority", _bool(data.high_priority))
    wanted = [a for a in ANNOTATIONS if a in data.annotations]
    if wanted:
        annotations = _sub(summary, "reportAnnotations")
        for name in wanted:
            _sub(annotations, name)
    _sub(summary, "incidentDateTime", _iso(data.incident_at))
    details = _sub(root, "internetDetails")
    if data.kind == "chat" and not data.url:
        chat = _sub(details, "chatImIncident")
        _sub(chat, "chatClient", (data.platform or "unknown")[:255])
    else:
        page = _sub(details, "webPageIncident")
        _sub(page, "url", (data.url or "about:blank")[:2048])
    if data.law_enforcement is not None:
        police = _sub(root, "lawEnforcement")
        _sub(police, "agencyName", data.law_enforcement.agency_name[:255])
        if data.law_enforcement.case_number:
            _sub(police, "caseNumber", data.law_enforcement.case_number[:255])
        _sub(police, "reportedToLe", _bool(data.law_enforcement.reported))
    reporter = _sub(root, "reporter")
    _sub(reporter, "reportingOrganization", data.organisation[:255])
    if data.country:
        _sub(reporter, "reportingCountry", data.country)
    _sub(reporter, "reporterReference", data.reference)
    if data.classification and data.assessed_at is not None:
        assessment = _sub(root, "assessment")
        _sub(assessment, "classification", data.classification)
        _sub(assessment, "contentType", data.content_type or "unknown")
        _sub(assessment, "apparentAgeGroup", data.apparent_age_group or "unknown")
        if data.hosting_country:
            _sub(assessment, "hostingCountry", data.hosting_country)
        _sub(assessment, "assessedDateTime", _iso(data.assessed_at))
    for item in data.files:
        node = _sub(root, "fileDetails")
        _sub(node, "fileId", item.file_id)
        _sub(node, "fileRelevance", "Reported")
        _sub(node, "fileViewedByEsp", "false")  # SafePath never shows the media
        for hash_type, value in (("MD5", item.md5), ("SHA1", item.sha1), ("PDQ", item.pdq)):
            if value:
                _sub(node, "originalFileHash", value, hashType=hash_type)
        for bank, hash_type, distance in item.matches:
            _sub(
                node,
                "knownMatch",
                bank=bank[:255],
                hashType=hash_type.upper(),
                distance=str(distance),
            )
    if data.timeline:
        takedown = _sub(root, "takedown")
        for step, moment in data.timeline:
            _sub(takedown, "event", step=step, at=_iso(moment))
    if data.additional_info:
        _sub(root, "additionalInfo", data.additional_info[:4000])
    ET.indent(root)
    out: bytes = ET.tostring(root, encoding="utf-8", xml_declaration=True)
    return out


@cache
def _schema() -> Any:
    import xmlschema

    return xmlschema.XMLSchema(str(SCHEMA))


def validate_cybertip(xml: bytes) -> list[str]:
    """Every schema violation, one line each (empty when valid)."""
    import xmlschema

    try:
        return [f"{e.path}: {e.reason}" for e in _schema().iter_errors(xml.decode("utf-8"))][:50]
    except xmlschema.XMLSchemaException as error:
        return [str(error)]
