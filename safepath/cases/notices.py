"""Who is told what about a case (through the notifications app): a kind, the case number and
a link, never the child's name. Called by the services, inside their transaction; sending
happens after commit, in the worker."""

from __future__ import annotations

import uuid

from django.urls import reverse

from safepath.accounts.models import Agency, User
from safepath.accounts.roles import Role
from safepath.cases.models import Case, Consent
from safepath.cases.policies import CaseAction, case_policy
from safepath.notify.services import notify
from safepath.notify.webhooks import webhook_emit, webhook_emit_many


def supervisors(agency_id: uuid.UUID, case: Case, action: CaseAction) -> list[User]:
    return [
        user
        for user in User.objects.filter(agency=agency_id, role=Role.SUPERVISOR, is_active=True)
        if case_policy.user_has_permission_for_instance(user, action, case)
    ]


def awaiting_approval(case: Case, *, kind: str, record_id: object, page: str) -> None:
    """The owning agency's supervisors: a plan or a determination waits for their approval."""
    notify(
        recipients=supervisors(case.owner_agency_id, case, CaseAction.APPROVE),
        kind=kind,
        reference=case.reference,
        link=reverse(f"cases:{page}", args=[case.id]),
        dedupe_key=f"{kind}:{record_id}",
    )


def case_shared(case: Case, agency: Agency, share_id: object) -> None:
    """The supervisors of the agency the case is now shared with."""
    notify(
        recipients=supervisors(agency.id, case, CaseAction.VIEW),
        kind="case_shared",
        reference=case.reference,
        link=reverse("cases:detail", args=[case.id]),
        dedupe_key=f"case_shared:{share_id}",
    )


# --- webhooks: external systems told of events (references and the fields their categories
# allow, cut in notify.events) ------------------------------------------------------------------


def _case_values(case: Case) -> dict[str, object]:
    return {
        "case_id": str(case.id),
        "reference": case.reference,
        "owner_agency": str(case.owner_agency_id),
        "status": case.status,
        "status_changed_at": case.status_changed_at,
        "identified_on": case.identified_on,
        "created_at": case.created_at,
        "forms_of_exploitation": case.forms_of_exploitation,
        "country_of_exploitation": case.country_of_exploitation,
        "country_of_origin": case.country_of_origin,
        "countries_of_transit": case.countries_of_transit,
        "closure_reason": case.closure_reason,
    }


def cases_created(cases: list[Case]) -> None:
    """Subscribers following the owning agency: ``case.created``, one per case."""
    webhook_emit_many(
        event_type="case.created",
        events=[([case.owner_agency_id], _case_values(case)) for case in cases],
    )


def case_status_changed(case: Case, previous: str) -> None:
    webhook_emit(
        event_type="case.status_changed",
        agencies=[case.owner_agency_id],
        values={**_case_values(case), "previous_status": previous},
    )


def consent_withdrawn(consent: Consent, shares_ended: int) -> None:
    """Subscribers following the owning agency or the agency the consent named."""
    case = consent.case
    webhook_emit(
        event_type="consent.withdrawn",
        agencies=[case.owner_agency_id, consent.recipient_agency_id],
        values={
            **_case_values(case),
            "consent_id": str(consent.id),
            "purpose": consent.purpose,
            "recipient_agency": str(consent.recipient_agency_id),
            "withdrawn_at": consent.withdrawn_at,
            "shares_ended": shares_ended,
        },
    )
