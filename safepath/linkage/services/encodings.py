"""Cross-border encodings: export for consenting children; returned matches as requests."""

from __future__ import annotations

import secrets
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.db.models import Exists, OuterRef
from django.utils.translation import gettext as _

from safepath.accounts.models import Agency, User
from safepath.audit.models import Action
from safepath.audit.services import Actor, audit_record, audit_record_many
from safepath.cases.models import Case, Consent, consent_in_force
from safepath.cases.vocabulary import ConsentPurpose
from safepath.core.exceptions import (
    FieldValidationError,
    NotFoundError,
)
from safepath.linkage.models import (
    EncodingExport,
    ExportedRecord,
    MatchRequest,
    RequestKind,
)
from safepath.linkage.policies import LinkageAction, linkage_policy


# --- cross-border encodings ------------------------------------------------------------------
@dataclass(frozen=True)
class EncodingsExport:
    export: EncodingExport
    document: dict[str, Any]  # the engine's encodings file: ids, CLKs, fingerprints


def matching_cases(agency: Agency) -> Any:
    """The agency's cases whose child's consent to cross-border matching is in force."""
    consenting = Consent.objects.filter(
        consent_in_force(), purpose=ConsentPurpose.MATCHING, case=OuterRef("pk")
    )
    return Case.objects.filter(owner_agency=agency).filter(Exists(consenting))


@transaction.atomic
def linkage_encodings_export(
    *,
    agency: Agency,
    schema: dict[str, Any],
    secret: bytes,
    actor: Actor,
    user: User | None = None,
) -> EncodingsExport:
    """Bloom-filter encodings of the consenting children only, under fresh random ids.

    The ids are new for every export (nothing links two exports) and stay mapped to their case
    here, so a match returned by a counterpart can start a formal request. Audited with counts.
    """
    from safepath.linkage.engine.clk import schema_fingerprint
    from safepath.linkage.engine.pprl import encode_file, encoding_view
    from safepath.linkage.records import case_records

    if user is not None and not linkage_policy.user_may_export(user, agency.pk):
        raise NotFoundError(_("No such agency."))
    records = case_records(matching_cases(agency))
    total = Case.objects.filter(owner_agency=agency).count()
    export = EncodingExport.objects.create(
        agency=agency,
        schema_id=schema_fingerprint(schema)[:16],
        record_count=len(records),
        excluded_count=total - len(records),
    )
    record_ids = [secrets.token_hex(16) for _unused in range(len(records))]
    ExportedRecord.objects.bulk_create(
        ExportedRecord(record_id=token, export=export, case_id=case_id)
        for token, case_id in zip(record_ids, records["record_id"], strict=True)
    )
    if len(records):
        view = encoding_view(records.assign(record_id=record_ids))
        document = encode_file(view, schema, secret)
    else:
        document = {"format": "safepath-clk/1", "record_ids": [], "clks": []}
    document["export_id"] = str(export.pk)
    audit_record(
        actor=actor,
        action=Action.EXPORT,
        object_type="linkage.encodings",
        object_id=export.pk,
        purpose="cross-border matching",
        details={
            "agency": str(agency.pk),
            "schema": export.schema_id,
            "exported": export.record_count,
            "excluded_without_consent": export.excluded_count,
        },
    )
    return EncodingsExport(export, document)


@dataclass(frozen=True)
class ReturnedMatch:
    local_record_id: str
    remote_record_id: str
    score: float


@transaction.atomic
def match_requests_record(
    *, user: User, counterpart: str, matches: Sequence[ReturnedMatch], channel: str
) -> list[MatchRequest]:
    """A counterpart's matches become formal requests, one per pair: never a disclosure."""
    if not linkage_policy.user_has_permission(user, LinkageAction.EXPORT):
        raise NotFoundError(_("No such page."))
    if not counterpart.strip():
        raise FieldValidationError({"counterpart": [_("Name the counterpart.")]})
    ours = set(
        ExportedRecord.objects.filter(
            export__agency=user.agency_id,
            record_id__in=[m.local_record_id for m in matches],
        ).values_list("record_id", flat=True)
    )
    errors = {
        f"matches.{index}.local_record_id": [_("Not an id your agency exported.")]
        for index, match in enumerate(matches)
        if match.local_record_id not in ours
    }
    errors.update(
        {
            f"matches.{index}.score": [_("A score is from 0 to 1.")]
            for index, match in enumerate(matches)
            if not 0 <= match.score <= 1
        }
    )
    if errors or not matches:
        raise FieldValidationError(errors or {"matches": [_("Give at least one match.")]})
    assert user.agency_id is not None  # noqa: S101 - the policy requires an agency
    created = MatchRequest.objects.bulk_create(
        MatchRequest(
            kind=RequestKind.CROSS_BORDER,
            requesting_agency_id=user.agency_id,
            counterpart=counterpart.strip()[:100],
            local_record_id=match.local_record_id,
            remote_record_id=match.remote_record_id[:64],
            score=match.score,
            created_by=user,
        )
        for match in matches
    )
    audit_record_many(
        actor=Actor.of(user, channel),
        action=Action.CREATE,
        object_type="linkage.request",
        object_ids=[request.pk for request in created],
        details={"kind": RequestKind.CROSS_BORDER},
    )
    return created
