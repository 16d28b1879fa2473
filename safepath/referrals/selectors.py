"""Reads: the service directory (not protected: it lists services, not children), and referrals
(each scoped by the policy; reading one is audited, and an invisible one is 'not found')."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache

import pycountry
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext

from safepath.accounts.models import User
from safepath.audit.models import Action
from safepath.audit.services import Actor, audit_record_many
from safepath.cases.models import Case, ChildViews
from safepath.cases.vocabulary import DecisionKind, Exploitation
from safepath.core.exceptions import NotFoundError
from safepath.core.languages import language_code
from safepath.referrals import catalogue
from safepath.referrals.models import (
    Escalation,
    OperatingStatus,
    Referral,
    ReferralStatus,
    Service,
)
from safepath.referrals.policies import ReferralAction, referral_policy


def service_type_label(code: str) -> str:
    """The taxonomy's label in the reader's language (the labels are in the message catalogs)."""
    return gettext(catalogue.taxonomy().label(code))


@dataclass(frozen=True)
class ServiceFilters:
    service_type: str = ""  # a type finds its sub-types too
    country: str = ""
    admin_area: str = ""
    city: str = ""
    language: str = ""
    age: int | None = None
    gender: str = ""
    agency: str = ""  # only services of this agency (uuid)
    name: str = ""


def service_list(*, filters: ServiceFilters | None = None) -> QuerySet[Service]:
    filters = filters or ServiceFilters()
    services = Service.objects.filter(is_active=True).select_related("provider", "provider__agency")
    if filters.service_type:
        services = services.filter(
            service_type__in=catalogue.taxonomy().family(filters.service_type)
        )
    if filters.country:
        services = services.filter(country=filters.country.upper())
    if filters.admin_area:
        services = services.filter(admin_area__iexact=filters.admin_area.strip())
    if filters.city:
        services = services.filter(city__iexact=filters.city.strip())
    if filters.language:
        # JSON containment is not on SQLite; a quoted substring of the JSON list is exact enough
        code = language_code(filters.language) or filters.language.strip().lower()
        services = services.filter(languages__icontains=f'"{code}"')
    if filters.age is not None:
        services = services.filter(age_min__lte=filters.age, age_max__gte=filters.age)
    if filters.gender:
        services = services.filter(Q(gender_served="any") | Q(gender_served=filters.gender))
    if filters.agency:
        services = services.filter(provider__agency_id=filters.agency)
    if filters.name:
        services = services.filter(name__icontains=filters.name.strip())
    return services.order_by("country", "admin_area", "name", "id")


def service_get(*, service_id: uuid.UUID | str) -> Service:
    try:
        return service_list().get(pk=service_id)
    except (Service.DoesNotExist, ValueError):
        raise NotFoundError(gettext("No such service.")) from None


@dataclass(frozen=True)
class ReferralFilters:
    direction: str = ""  # "incoming", "outgoing" or both
    status: str = ""
    overdue: bool = False


def referral_queryset(
    *, user: User, action: ReferralAction = ReferralAction.VIEW
) -> QuerySet[Referral]:
    return referral_policy.instances_user_has_permission_for(user, action)


def referral_list(*, user: User, filters: ReferralFilters | None = None) -> QuerySet[Referral]:
    filters = filters or ReferralFilters()
    referrals = referral_queryset(user=user).select_related(
        "case", "referring_agency", "receiving_agency", "service", "service__provider"
    )
    if filters.direction == "incoming":
        referrals = referrals.filter(receiving_agency=user.agency_id)
    elif filters.direction == "outgoing":
        referrals = referrals.filter(referring_agency=user.agency_id)
    if filters.status:
        referrals = referrals.filter(status=filters.status)
    if filters.overdue:
        referrals = referrals.filter(status=ReferralStatus.PENDING, overdue_at__isnull=False)
    return referrals.order_by("-created_at", "id")


def referral_overdue_list(*, user: User) -> QuerySet[Referral]:
    """Unanswered referrals past their deadline, for a supervisor, oldest deadline first."""
    return (
        referral_queryset(user=user, action=ReferralAction.VIEW_OVERDUE)
        .filter(status=ReferralStatus.PENDING, due_at__lte=timezone.now())
        .select_related("case", "referring_agency", "receiving_agency", "service")
        .order_by("due_at", "id")
    )


def audit_referral_reads(*, user: User, referrals: Sequence[Referral], channel: str) -> None:
    audit_record_many(
        actor=Actor.of(user, channel),
        action=Action.READ,
        object_type="referral",
        object_ids=[r.id for r in referrals],
    )


def referral_get(*, user: User, referral_id: uuid.UUID | str, channel: str) -> Referral:
    try:
        referral = (
            referral_list(user=user).select_related("consent", "referred_by").get(pk=referral_id)
        )
    except (Referral.DoesNotExist, ValueError):
        raise NotFoundError(gettext("No such referral.")) from None
    audit_referral_reads(user=user, referrals=[referral], channel=channel)
    return referral


def referral_for_action(*, user: User, referral_id: uuid.UUID | str) -> Referral:
    """The referral to change (not audited as a read); the service checks the action."""
    try:
        return (
            referral_queryset(user=user)
            .select_related("case", "consent", "receiving_agency", "referred_by")
            .get(pk=referral_id)
        )
    except (Referral.DoesNotExist, ValueError):
        raise NotFoundError(gettext("No such referral.")) from None


def referral_child_views(referral: Referral) -> ChildViews | None:
    return ChildViews.objects.filter(
        case=referral.case_id, decision=DecisionKind.REFERRAL, decision_ref=str(referral.id)
    ).first()


def escalations_open(*, user: User) -> QuerySet[Escalation]:
    """The overdue referrals brought to this user's attention and still unanswered."""
    return (
        Escalation.objects.filter(recipient=user, resolved_at__isnull=True)
        .filter(referral__in=referral_queryset(user=user))
        .select_related("referral", "referral__case", "referral__receiving_agency")
        .order_by("-created_at")
    )


@cache
def pathways() -> list[catalogue.Pathway]:
    countries = frozenset(c.alpha_2 for c in pycountry.countries)
    return catalogue.load_pathways(
        catalogue.PATHWAYS_DIR, exploitations=frozenset(Exploitation.values), countries=countries
    )


def case_region(case: Case) -> str:
    return case.country_of_exploitation or case.owner_agency.country


def pathway_suggestions(case: Case) -> list[catalogue.Recommendation]:
    """The recommended service types for this case's forms of exploitation, in order."""
    return catalogue.recommend(
        pathways(), exploitations=list(case.forms_of_exploitation), region=case_region(case)
    )


def services_for_suggestions(
    case: Case, suggestions: list[catalogue.Recommendation]
) -> dict[str, list[Service]]:
    """For each suggested type, the services in the case's country that take referrals through
    SafePath (another agency's), in one query."""
    taxonomy = catalogue.taxonomy()
    wanted = {s.service_type: taxonomy.family(s.service_type) for s in suggestions}
    codes = set().union(*wanted.values()) if wanted else set()
    found = (
        service_list(filters=ServiceFilters(country=case_region(case)))
        .filter(service_type__in=codes, provider__agency__isnull=False)
        .exclude(provider__agency=case.owner_agency_id)
        .exclude(operating_status=OperatingStatus.CLOSED)  # skipped, and said so (below)
    )
    by_type: dict[str, list[Service]] = {code: [] for code in wanted}
    for service in found:
        for code, family in wanted.items():
            if service.service_type in family:
                by_type[code].append(service)
    return by_type


def closed_services_skipped(
    case: Case, suggestions: list[catalogue.Recommendation]
) -> list[Service]:
    """The services a suggestion would have offered but that reported themselves closed: the
    referral page names them, so the worker knows why they are missing."""
    taxonomy = catalogue.taxonomy()
    codes: set[str] = set()
    for suggestion in suggestions:
        codes |= set(taxonomy.family(suggestion.service_type))
    return list(
        service_list(filters=ServiceFilters(country=case_region(case)))
        .filter(
            service_type__in=codes,
            provider__agency__isnull=False,
            operating_status=OperatingStatus.CLOSED,
        )
        .exclude(provider__agency=case.owner_agency_id)
    )
