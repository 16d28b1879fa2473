"""The UASC Field Handbook's steps after a tracing match, and the public mass-tracing lists.

* **Verify**: the family and the child are each asked, apart, whether they know the other as
  the relation claimed and whether they want to be reunited. A candidate becomes *verified*
  only when both have confirmed the relationship and consented.
* **Reunify**: only a verified candidate (possibly after a best-interests decision).
* **Follow up**: visits after reunification; the candidate is *closed* only after the number
  of visits in ``ftr_rules.json``.
* **Mass tracing lists**: a child's public reference and region, never a name or photograph,
  shown only while the case's tracing consent is in force.
"""

from __future__ import annotations

import datetime
import json
import secrets
from functools import cache
from pathlib import Path
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from safepath.accounts.models import User
from safepath.audit.models import Action
from safepath.audit.services import Actor, audit_record
from safepath.cases.models import Case, Consent, consent_in_force
from safepath.cases.policies import CaseAction, case_policy
from safepath.cases.vocabulary import ConsentPurpose
from safepath.core.exceptions import FieldValidationError, NotFoundError, PermissionDeniedError
from safepath.linkage.models import (
    CandidateStatus,
    FollowUpOutcome,
    FollowUpVisit,
    PublicTracingListing,
    TracingCandidate,
    TracingVerification,
    VerificationMethod,
    VerificationParty,
)
from safepath.linkage.policies import linkage_policy

RULES_FILE = Path(__file__).resolve().parent.parent / "ftr_rules.json"
_ALPHABET = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"


@cache
def follow_up_visits_required() -> int:
    raw = json.loads(RULES_FILE.read_text(encoding="utf-8"))
    value = raw.get("follow_up_visits_before_closure")
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise ValueError(f"{RULES_FILE.name}: follow_up_visits_before_closure must be 1 or more")
    return value


def both_sides_confirmed(candidate: TracingCandidate) -> bool:
    confirmed = {
        v.party for v in candidate.verifications.all() if v.relationship_confirmed and v.consents
    }
    return {VerificationParty.FAMILY, VerificationParty.CHILD} <= confirmed


def check_step(candidate: TracingCandidate, status: CandidateStatus) -> None:
    """The handbook's gates, with a reason in words for each refusal."""
    if status == CandidateStatus.VERIFIED and not both_sides_confirmed(candidate):
        raise FieldValidationError(
            {
                "status": [
                    _(
                        "Verification needs both the family and the child, each asked apart, to "
                        "confirm the relationship and consent to reunification."
                    )
                ]
            }
        )
    if status == CandidateStatus.CLOSED:
        done = candidate.follow_ups.count()
        needed = follow_up_visits_required()
        if done < needed:
            raise FieldValidationError(
                {
                    "status": [
                        _("Record %(needed)s follow-up visit(s) before closing; %(done)s so far.")
                        % {"needed": needed, "done": done}
                    ]
                }
            )


def _candidate_for(user: User, candidate: TracingCandidate) -> TracingCandidate:
    if (
        not linkage_policy.tracing_requests_user_may_see(user)
        .filter(pk=candidate.request_id)
        .exists()
    ):
        raise NotFoundError(_("No such tracing candidate."))
    return TracingCandidate.objects.select_for_update().get(pk=candidate.pk)


@transaction.atomic
def tracing_verification_record(
    *,
    user: User,
    candidate: TracingCandidate,
    party: str,
    relationship_confirmed: bool,
    consents: bool,
    method: str,
    notes: str,
    channel: str,
) -> TracingVerification:
    locked = _candidate_for(user, candidate)
    errors: dict[str, list[str]] = {}
    if party not in VerificationParty.values:
        errors["party"] = [_("Say who confirms: the family or the child.")]
    if method not in VerificationMethod.values:
        errors["method"] = [_("Choose how the relationship was checked.")]
    if locked.status not in (CandidateStatus.VERIFYING, CandidateStatus.POSSIBLE):
        errors["candidate"] = [_("Verification is recorded while the match is being verified.")]
    if errors:
        raise FieldValidationError(errors)
    record = TracingVerification.objects.create(
        candidate=locked,
        party=party,
        relationship_confirmed=relationship_confirmed,
        consents=consents,
        method=method,
        notes=notes.strip(),
        recorded_by=user,
    )
    audit_record(
        actor=Actor.of(user, channel),
        action=Action.CREATE,
        object_type="linkage.tracing_verification",
        object_id=record.pk,
        details={
            "candidate": str(locked.pk),
            "party": party,
            "confirmed": relationship_confirmed,
            "consents": consents,
        },
    )
    return record


@transaction.atomic
def follow_up_visit_record(
    *,
    user: User,
    candidate: TracingCandidate,
    visited_on: datetime.date,
    outcome: str,
    notes: str,
    channel: str,
) -> FollowUpVisit:
    locked = _candidate_for(user, candidate)
    errors: dict[str, list[str]] = {}
    if locked.status != CandidateStatus.REUNIFIED:
        errors["candidate"] = [_("Follow-up visits are recorded after reunification.")]
    if outcome not in FollowUpOutcome.values:
        errors["outcome"] = [_("Choose the outcome of the visit.")]
    if visited_on > timezone.localdate():
        errors["visited_on"] = [_("This date cannot be in the future.")]
    elif locked.reunified_on and visited_on < locked.reunified_on:
        errors["visited_on"] = [_("A follow-up visit comes after the reunification.")]
    if errors:
        raise FieldValidationError(errors)
    visit = FollowUpVisit.objects.create(
        candidate=locked,
        visited_on=visited_on,
        outcome=outcome,
        notes=notes.strip(),
        recorded_by=user,
    )
    audit_record(
        actor=Actor.of(user, channel),
        action=Action.CREATE,
        object_type="linkage.follow_up_visit",
        object_id=visit.pk,
        details={"candidate": str(locked.pk), "outcome": outcome},
    )
    return visit


# --- public mass-tracing lists -----------------------------------------------------------------
def _new_public_reference() -> str:
    body = "".join(secrets.choice(_ALPHABET) for _ in range(8))
    return f"T-{body[:4]}-{body[4:]}"


def _tracing_consent(case: Case) -> Any:
    return Consent.objects.filter(consent_in_force(), case=case, purpose=ConsentPurpose.TRACING)


@transaction.atomic
def tracing_listing_publish(
    *, user: User, case: Case, region: str, channel: str
) -> PublicTracingListing:
    """Put a child on the public list: a new random reference and a region, nothing else."""
    if not case_policy.user_has_permission_for_instance(user, CaseAction.VIEW, case):
        raise NotFoundError(_("No such case."))
    if not case_policy.user_has_permission_for_instance(user, CaseAction.SHARE, case):
        raise PermissionDeniedError(_("Only those who may share this case list it publicly."))
    region = " ".join(region.split())
    errors: dict[str, list[str]] = {}
    if not region or len(region) > 100:
        errors["region"] = [_("Give the region (not a precise place), at most 100 characters.")]
    if not _tracing_consent(case).exists():
        errors["case"] = [_("Record the consent to family tracing before listing the child.")]
    if PublicTracingListing.objects.filter(case=case, withdrawn_at__isnull=True).exists():
        errors["case"] = [_("This child is already on the public list.")]
    if errors:
        raise FieldValidationError(errors)
    for _attempt in range(5):
        try:
            with transaction.atomic():
                listing = PublicTracingListing.objects.create(
                    case=case,
                    public_reference=_new_public_reference(),
                    region=region,
                    listed_by=user,
                )
            break
        except IntegrityError:
            continue
    else:  # pragma: no cover - 32^8 references
        raise FieldValidationError({"case": [_("Try again.")]})
    audit_record(
        actor=Actor.of(user, channel),
        action=Action.SHARE,
        object_type="linkage.tracing_listing",
        object_id=listing.pk,
        details={"case": str(case.id)},
    )
    return listing


@transaction.atomic
def tracing_listing_withdraw(
    *, user: User, listing: PublicTracingListing, channel: str
) -> PublicTracingListing:
    if not case_policy.user_has_permission_for_instance(user, CaseAction.SHARE, listing.case):
        raise NotFoundError(_("No such listing."))
    if listing.withdrawn_at is None:
        listing.withdrawn_at = timezone.now()
        listing.save(update_fields=["withdrawn_at"])
        audit_record(
            actor=Actor.of(user, channel),
            action=Action.UPDATE,
            object_type="linkage.tracing_listing",
            object_id=listing.pk,
            details={"withdrawn": True},
        )
    return listing


def public_listings(*, region: str = "") -> QuerySet[PublicTracingListing]:
    """What anyone may read: listings not withdrawn whose case's tracing consent is in force.
    A withdrawn consent takes the child off the list at once."""
    in_force = Consent.objects.filter(
        consent_in_force(), case=OuterRef("case_id"), purpose=ConsentPurpose.TRACING
    )
    listings = PublicTracingListing.objects.filter(withdrawn_at__isnull=True).filter(
        Exists(in_force)
    )
    if region.strip():
        listings = listings.filter(region__iexact=" ".join(region.split()))
    return listings.only("public_reference", "region", "listed_at").order_by(
        "region", "public_reference"
    )


def public_regions() -> list[str]:
    return sorted(set(public_listings().values_list("region", flat=True)))
