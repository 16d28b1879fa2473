"""Loading the service directory from a file: every row checked first, then all stored at once
or nothing (a bad row leaves the directory as it was)."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pycountry
import yaml
from django.db import transaction

from safepath.accounts.models import Agency
from safepath.audit.models import Action, Channel
from safepath.audit.services import Actor, audit_record
from safepath.referrals import catalogue
from safepath.referrals.models import GenderServed, Service, ServiceProvider

COLUMNS = (
    "provider",
    "agency_code",
    "name",
    "service_type",
    "country",
    "admin_area",
    "city",
    "languages",
    "age_min",
    "age_max",
    "gender_served",
    "capacity",
    "hours",
    "phone",
    "email",
    "description",
)
REQUIRED = ("provider", "name", "service_type", "country")


class ImportFileError(ValueError):
    """Bad input: ``problems`` holds one 'row N, field F: reason' line per fault."""

    def __init__(self, problems: list[str]):
        super().__init__("; ".join(problems))
        self.problems = problems


@dataclass(frozen=True)
class ImportResult:
    providers_created: int
    services_created: int
    services_updated: int


def read_rows(path: Path) -> list[dict[str, Any]]:
    suffix = path.suffix.lower()
    text = path.read_text(encoding="utf-8-sig")
    if suffix == ".csv":
        return [dict(row) for row in csv.DictReader(io.StringIO(text))]
    if suffix in (".yaml", ".yml"):
        data = yaml.safe_load(text)
        rows = data.get("services") if isinstance(data, dict) else data
        if not isinstance(rows, list) or not all(isinstance(r, dict) for r in rows):
            raise ImportFileError([f"{path.name}: expected a list of services"])
        return rows
    raise ImportFileError([f"{path.name}: give a .csv or .yaml file"])


def _language_ok(code: str) -> bool:
    if len(code) == 2:
        return pycountry.languages.get(alpha_2=code) is not None
    return len(code) == 3 and pycountry.languages.get(alpha_3=code) is not None


def _whole(value: Any, default: int | None) -> int | None:
    if value is None or str(value).strip() == "":
        return default
    number = int(str(value).strip())
    if number < 0:
        raise ValueError
    return number


def _clean_row(raw: dict[str, Any], where: str, agencies: dict[str, Agency]) -> dict[str, Any]:
    problems: list[str] = []

    def text(name: str) -> str:
        value = raw.get(name)
        return "" if value is None else str(value).strip()

    unknown = set(raw) - set(COLUMNS)
    for name in sorted(unknown):
        problems.append(f"{where}, field {name}: unknown column")
    for name in REQUIRED:
        if not text(name):
            problems.append(f"{where}, field {name}: required")
    row: dict[str, Any] = {name: text(name) for name in COLUMNS}
    if row["service_type"] and row["service_type"] not in catalogue.taxonomy().codes():
        problems.append(f"{where}, field service_type: unknown type {row['service_type']!r}")
    row["country"] = row["country"].upper()
    if row["country"] and pycountry.countries.get(alpha_2=row["country"]) is None:
        problems.append(f"{where}, field country: not an ISO 3166-1 alpha-2 code")
    languages = raw.get("languages") or []
    if isinstance(languages, str):
        languages = [
            part.strip() for part in languages.replace(";", ",").split(",") if part.strip()
        ]
    row["languages"] = [str(code).lower() for code in languages]
    for code in row["languages"]:
        if not _language_ok(code):
            problems.append(f"{where}, field languages: {code!r} is not an ISO 639 code")
    for name, default in (("age_min", 0), ("age_max", 17), ("capacity", None)):
        try:
            row[name] = _whole(raw.get(name), default)
        except ValueError:
            problems.append(f"{where}, field {name}: give a whole number of 0 or more")
    ages = (row["age_min"], row["age_max"])
    if all(isinstance(age, int) for age in ages) and ages[0] > ages[1]:
        problems.append(f"{where}, field age_max: lower than age_min")
    row["gender_served"] = row["gender_served"] or GenderServed.ANY
    if row["gender_served"] not in GenderServed.values:
        problems.append(f"{where}, field gender_served: one of {', '.join(GenderServed.values)}")
    if row["agency_code"] and row["agency_code"] not in agencies:
        problems.append(f"{where}, field agency_code: no agency with code {row['agency_code']!r}")
    if row["email"] and "@" not in row["email"]:
        problems.append(f"{where}, field email: not an email address")
    if problems:
        raise ImportFileError(problems)
    return row


def _provider(row: dict[str, Any], agencies: dict[str, Agency]) -> tuple[ServiceProvider, bool]:
    agency = agencies.get(row["agency_code"]) if row["agency_code"] else None
    provider, created = ServiceProvider.objects.get_or_create(
        name=row["provider"],
        defaults={"agency": agency, "country": row["country"], "contact": row["phone"]},
    )
    if agency is not None and provider.agency_id != agency.id:
        raise ImportFileError(
            [f"provider {row['provider']!r}: already linked to another agency (agency_code)"]
        )
    return provider, created


def services_import(rows: list[dict[str, Any]], *, source_name: str) -> ImportResult:
    """Create or update services (a service is keyed by provider and name). All or nothing."""
    agencies = {a.code: a for a in Agency.objects.all()}
    problems: list[str] = []
    cleaned: list[dict[str, Any]] = []
    seen: set[tuple[str, str]] = set()
    for number, raw in enumerate(rows, start=1):
        where = f"{source_name}: row {number}"
        try:
            row = _clean_row(raw, where, agencies)
        except ImportFileError as error:
            problems.extend(error.problems)
            continue
        key = (row["provider"], row["name"])
        if key in seen:
            problems.append(f"{where}, field name: the same provider lists this service twice")
        seen.add(key)
        cleaned.append(row)
    if not rows:
        problems.append(f"{source_name}: the file lists no service")
    if problems:
        raise ImportFileError(problems)
    providers_created = created_count = updated_count = 0
    with transaction.atomic():
        for row in cleaned:
            provider, new_provider = _provider(row, agencies)
            providers_created += int(new_provider)
            values = {
                name: row[name]
                for name in COLUMNS
                if name not in ("provider", "agency_code", "name")
            }
            _, created = Service.objects.update_or_create(
                provider=provider, name=row["name"], defaults={**values, "is_active": True}
            )
            created_count += int(created)
            updated_count += int(not created)
        audit_record(
            actor=Actor.system(Channel.CLI),
            action=Action.ADMIN,
            object_type="service_directory",
            object_id=source_name,
            details={"created": created_count, "updated": updated_count},
        )
    return ImportResult(providers_created, created_count, updated_count)
