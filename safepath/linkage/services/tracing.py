"""Family tracing: requests, searches over consenting children only, and their outcome."""

from __future__ import annotations

import datetime
from typing import Any

from django.db import transaction
from django.db.models import Exists, F, OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from safepath.accounts.models import User
from safepath.audit.models import Action
from safepath.audit.services import Actor, audit_record
from safepath.cases.models import Case, Consent, consent_in_force
from safepath.cases.vocabulary import ConsentPurpose
from safepath.core.exceptions import (
    ConflictError,
    FieldValidationError,
    NotFoundError,
)
from safepath.linkage.models import (
    CandidateStatus,
    TracingCandidate,
    TracingRequest,
    TracingStatus,
)
from safepath.linkage.policies import LinkageAction, linkage_policy
from safepath.linkage.services.pairs import as_uuid, clean_evidence

# --- family tracing --------------------------------------------------------------------------
TRACING_FIELDS = (
    "sought_given_name",
    "sought_family_name",
    "sought_other_names",
    "sought_sex",
    "sought_date_of_birth",
    "sought_birth_year",
    "sought_place_of_birth",
    "sought_nationality",
    "last_seen_place",
    "mother_given_name",
    "father_given_name",
    "requester_name",
    "requester_relation",
    "requester_contact",
)
TRACING_THRESHOLD = 0.5
# What each candidate status may become: the UASC Field Handbook's steps. A best-interests
# decision (cases app) may come between verification and reunification; reunification needs the
# verification of both sides, and closure the follow-up visits (gates in ``reunification.py``).
CANDIDATE_MOVES = {
    CandidateStatus.POSSIBLE: {CandidateStatus.VERIFYING, CandidateStatus.RULED_OUT},
    CandidateStatus.VERIFYING: {CandidateStatus.VERIFIED, CandidateStatus.RULED_OUT},
    CandidateStatus.VERIFIED: {
        CandidateStatus.REUNIFICATION,
        CandidateStatus.REUNIFIED,
        CandidateStatus.RULED_OUT,
    },
    CandidateStatus.REUNIFICATION: {CandidateStatus.REUNIFIED, CandidateStatus.RULED_OUT},
    CandidateStatus.REUNIFIED: {CandidateStatus.CLOSED},
    CandidateStatus.CLOSED: set(),
    CandidateStatus.RULED_OUT: set(),
}


def _check_tracing(values: dict[str, Any]) -> None:
    errors: dict[str, list[str]] = {}
    if not str(values.get("sought_given_name", "")).strip():
        errors["sought_given_name"] = [_("The child's given name is needed to search.")]
    if not str(values.get("requester_name", "")).strip():
        errors["requester_name"] = [_("Record who is looking for the child.")]
    dob = values.get("sought_date_of_birth") or ""
    if dob:
        try:
            born = datetime.date.fromisoformat(str(dob))
        except ValueError:
            errors["sought_date_of_birth"] = [_("Write the date as YYYY-MM-DD.")]
        else:
            if born > timezone.localdate():
                errors["sought_date_of_birth"] = [_("The date of birth cannot be in the future.")]
    year = values.get("sought_birth_year")
    if year is not None and not 1990 <= int(year) <= timezone.localdate().year:
        errors["sought_birth_year"] = [_("Give a plausible year of birth.")]
    if errors:
        raise FieldValidationError(errors)


@transaction.atomic
def tracing_request_create(*, user: User, values: dict[str, Any], channel: str) -> TracingRequest:
    """Record a family's request to find a child (identifying fields are encrypted)."""
    if not linkage_policy.user_has_permission(user, LinkageAction.TRACE):
        raise NotFoundError(_("No such page."))
    fields = {name: values[name] for name in TRACING_FIELDS if name in values}
    for name, value in fields.items():
        if isinstance(value, str):
            fields[name] = value.strip()
        elif value is None and name != "sought_birth_year":
            fields[name] = ""  # an empty form field: encrypted text fields store "" for none
    if isinstance(fields.get("sought_date_of_birth"), datetime.date):
        fields["sought_date_of_birth"] = fields["sought_date_of_birth"].isoformat()
    _check_tracing(fields)
    assert user.agency_id is not None  # noqa: S101 - the policy requires an agency
    request = TracingRequest.objects.create(agency_id=user.agency_id, created_by=user, **fields)
    audit_record(
        actor=Actor.of(user, channel),
        action=Action.CREATE,
        object_type="linkage.tracing_request",
        object_id=request.pk,
    )
    return request


def tracing_pool(request: TracingRequest) -> Any:
    """The only children a tracing search may consider: tracing consent in force, given to the
    tracing agency or held by it. Everyone else is never compared, let alone shown."""
    consenting = Consent.objects.filter(
        consent_in_force(),
        purpose=ConsentPurpose.TRACING,
        case=OuterRef("pk"),
    ).filter(Q(recipient_agency=request.agency_id) | Q(case__owner_agency=request.agency_id))
    return Case.objects.filter(Exists(consenting))


@transaction.atomic
def tracing_search(*, user: User, request: TracingRequest, channel: str) -> list[TracingCandidate]:
    """Compare the request with consenting children; keep the ranked candidates above the
    threshold (earlier candidates keep their status; new ones are added)."""
    from safepath.linkage.records import case_records, tracing_record, tracing_scores

    if not linkage_policy.tracing_requests_user_may_see(user).filter(pk=request.pk).exists():
        raise NotFoundError(_("No such tracing request."))
    pool = case_records(tracing_pool(request))
    scores = tracing_scores(tracing_record(request), pool) if len(pool) else []
    existing = set(request.candidates.values_list("case_id", flat=True))
    now = timezone.now()
    new = [
        TracingCandidate(
            request=request,
            case_id=case_id,
            match_probability=probability,
            evidence=clean_evidence(evidence),
            updated_at=now,
        )
        for case_id, probability, evidence in scores
        if probability >= TRACING_THRESHOLD and as_uuid(case_id) not in existing
    ]
    TracingCandidate.objects.bulk_create(new)
    if new and request.status == TracingStatus.OPEN:
        TracingRequest.objects.filter(pk=request.pk).update(
            status=TracingStatus.POSSIBLE_MATCH, version=F("version") + 1
        )
    audit_record(
        actor=Actor.of(user, channel),
        action=Action.READ,
        object_type="linkage.tracing_request",
        object_id=request.pk,
        purpose="tracing search",
        details={"compared": len(pool), "new_candidates": len(new)},
    )
    return list(request.candidates.all())


@transaction.atomic
def tracing_candidate_update(
    *,
    user: User,
    candidate: TracingCandidate,
    status: str,
    note: str,
    expected_version: int,
    channel: str,
    reunified_on: datetime.date | None = None,
    reunification_place: str = "",
) -> TracingCandidate:
    """Record the next step: verifying, verified, referred for a best-interests decision,
    reunified, closed after follow-up, or ruled out. The handbook's gates hold: verified needs
    both sides' confirmation and consent; closure needs the follow-up visits."""
    from safepath.linkage.services.reunification import check_step

    request = candidate.request
    if not linkage_policy.tracing_requests_user_may_see(user).filter(pk=request.pk).exists():
        raise NotFoundError(_("No such tracing candidate."))
    locked = TracingCandidate.objects.select_for_update().get(pk=candidate.pk)
    if locked.version != expected_version:
        raise ConflictError(_("Someone updated this candidate since you opened it; reload."))
    if status not in CANDIDATE_MOVES.get(CandidateStatus(locked.status), set()):
        raise FieldValidationError({"status": [_("This step cannot follow the current one.")]})
    check_step(locked, CandidateStatus(status))
    locked.status, locked.note, locked.updated_by = status, note.strip(), user
    locked.updated_at, locked.version = timezone.now(), locked.version + 1
    if status == CandidateStatus.REUNIFIED:
        day = reunified_on or timezone.localdate()
        if day > timezone.localdate():
            raise FieldValidationError({"reunified_on": [_("This date cannot be in the future.")]})
        locked.reunified_on, locked.reunification_place = day, reunification_place.strip()
    locked.save(
        update_fields=[
            "status",
            "note",
            "updated_by",
            "updated_at",
            "version",
            "reunified_on",
            "reunification_place",
        ]
    )
    request_status = {
        CandidateStatus.VERIFYING: TracingStatus.VERIFYING,
        CandidateStatus.VERIFIED: TracingStatus.VERIFIED,
        CandidateStatus.REUNIFICATION: TracingStatus.VERIFIED,
        CandidateStatus.REUNIFIED: TracingStatus.REUNIFIED,
        CandidateStatus.CLOSED: TracingStatus.RESOLVED,
    }.get(CandidateStatus(status))
    if request_status is not None:
        TracingRequest.objects.filter(pk=request.pk).update(
            status=request_status, version=F("version") + 1
        )
    audit_record(
        actor=Actor.of(user, channel),
        action=Action.UPDATE,
        object_type="linkage.tracing_candidate",
        object_id=locked.pk,
        details={"status": status, "case": str(locked.case_id)},
    )
    return locked
