"""Importing INFORM Risk (reference data about countries, never about a child).

The same importer loads a new edition and updates one already loaded: an edition is keyed by
its label (``INFORM Risk 2025 v0.7.0``); importing it again replaces its scores in one
transaction. A bad file stores nothing.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pycountry
from django.db import transaction
from django.utils import timezone

from safepath.audit.models import Action, Channel
from safepath.audit.services import Actor, audit_record
from safepath.emergency import inform
from safepath.emergency.models import CountryRisk, RiskEdition


@dataclass(frozen=True)
class ImportedEdition:
    label: str
    countries: int
    created: bool


def _codes(iso3: str) -> tuple[str, str]:
    country = pycountry.countries.get(alpha_3=iso3)
    return (country.alpha_2, country.numeric) if country else ("", "")


@transaction.atomic
def risk_import(
    *, path: Path, year: int | None = None, channel: str = Channel.CLI
) -> list[ImportedEdition]:
    """Load (or reload) every edition in the file; ``inform.InformFileError`` names each fault."""
    data = inform.read(path, year=year)
    done = []
    for edition in data.editions:
        row, created = RiskEdition.objects.update_or_create(
            label=edition.label,
            defaults={
                "year": edition.year,
                "source_name": data.name,
                "source_sha256": data.sha256,
                "country_count": len(edition.countries),
                "imported_at": timezone.now(),
            },
        )
        CountryRisk.objects.filter(edition=row).delete()
        scores = []
        for country in edition.countries:
            iso2, numeric = _codes(country.iso3)
            scores.append(
                CountryRisk(
                    edition=row,
                    iso3=country.iso3,
                    iso2=iso2,
                    iso_numeric=numeric,
                    name=country.name[:100],
                    risk=country.risk,
                    risk_class=country.risk_class,
                    rank=country.rank,
                    hazard_exposure=country.hazard_exposure,
                    vulnerability=country.vulnerability,
                    lack_of_coping_capacity=country.lack_of_coping_capacity,
                    highly_violent_conflict=country.highly_violent_conflict,
                    components=country.components,
                )
            )
        CountryRisk.objects.bulk_create(scores, batch_size=500)
        audit_record(
            actor=Actor.system(channel),
            action=Action.ADMIN,
            object_type="emergency.risk_edition",
            object_id=row.pk,
            details={"countries": len(scores), "created": created, "sha256": data.sha256},
        )
        done.append(ImportedEdition(edition.label, len(scores), created))
    return done
