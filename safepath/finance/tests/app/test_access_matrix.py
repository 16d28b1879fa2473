"""Who sees and works financial alerts: roles x agencies x actions, as a matrix.

Only a financial analyst of a financial intelligence unit or a bank works alerts, and only its
own agency's. Everyone else gets 404 on every finance endpoint, and nothing changes.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from safepath.accounts.models import Agency, User
from safepath.accounts.roles import AgencyType, Role
from safepath.audit.models import AuditEvent
from safepath.finance.models import AlertDisposition, AlertReport, FinancialAlert, ScreeningRun
from safepath.finance.policies import FinanceAction, finance_policy
from safepath.finance.tests.app.conftest import engine_alert
from safepath.testing.factories import AgencyFactory
from safepath.testing.fixtures import api_client_for

OUTSIDERS = [
    (Role.CASEWORKER, AgencyType.CHILD_PROTECTION),
    (Role.SUPERVISOR, AgencyType.CHILD_PROTECTION),
    (Role.LAW_ENFORCEMENT, AgencyType.POLICE),
    (Role.COORDINATOR, AgencyType.NATIONAL_COORDINATION),
    (Role.ANALYST, AgencyType.NATIONAL_COORDINATION),
    (Role.DATA_PROTECTION_OFFICER, AgencyType.NATIONAL_COORDINATION),
    (Role.SYSTEM_ADMIN, None),
    # A financial analyst's role outside a financial agency does not open the area either.
    (Role.FINANCIAL_ANALYST, AgencyType.NGO),
    # Other roles inside an FIU see nothing: the role and the agency type must both fit.
    (Role.SUPERVISOR, AgencyType.FIU),
    (Role.CASEWORKER, AgencyType.FINANCIAL_INSTITUTION),
]


def _snapshot() -> tuple[Any, ...]:
    return (
        list(FinancialAlert.objects.order_by("id").values_list("id", "status", "version")),
        AlertDisposition.objects.count(),
        AlertReport.objects.count(),
        ScreeningRun.objects.count(),
    )


def _requests(alert: FinancialAlert) -> list[tuple[str, str, dict[str, Any]]]:
    base = "/api/v1/finance"
    return [
        ("get", f"{base}/alerts/", {}),
        ("get", f"{base}/alerts/{alert.id}/", {}),
        (
            "post",
            f"{base}/alerts/{alert.id}/dispositions/",
            {"decision": "report", "reason": "x", "version": 1},
        ),
        ("post", f"{base}/alerts/{alert.id}/reports/", {}),
        ("get", f"{base}/runs/", {}),
        ("get", f"{base}/runs/{alert.run_id}/", {}),
        ("post", f"{base}/runs/", {}),
        ("get", f"{base}/metrics/", {}),
    ]


@pytest.mark.django_db
@pytest.mark.parametrize(("role", "agency_type"), OUTSIDERS)
def test_outsiders_get_404_everywhere_and_change_nothing(
    role: str,
    agency_type: str | None,
    make_user: Callable[..., User],
    fiu_analyst: User,
    store_alerts: Callable[..., list[FinancialAlert]],
) -> None:
    (alert,) = store_alerts(fiu_analyst, engine_alert())
    agency = (
        AgencyFactory(agency_type=agency_type, code=f"x-{role[:8]}")
        if agency_type == AgencyType.FIU
        else (AgencyFactory(agency_type=agency_type) if agency_type else None)
    )
    outsider = make_user(role, agency)
    client = api_client_for(outsider)
    before = _snapshot()
    events_before = AuditEvent.objects.count()

    for method, url, body in _requests(alert):
        response = getattr(client, method)(url, body, format="json")
        assert response.status_code == 404, (method, url, response.status_code)
        assert response.json()["code"] == "not_found"

    assert _snapshot() == before
    assert AuditEvent.objects.count() == events_before
    assert not finance_policy.user_has_permission(outsider, FinanceAction.VIEW)


@pytest.mark.django_db
def test_an_analyst_of_another_financial_agency_sees_none_of_ours(
    fiu_analyst: User, bank_analyst: User, store_alerts: Callable[..., list[FinancialAlert]]
) -> None:
    (ours,) = store_alerts(fiu_analyst, engine_alert("C-1"))
    (theirs,) = store_alerts(bank_analyst, engine_alert("C-2"))
    client = api_client_for(bank_analyst)
    before = _snapshot()

    listed = client.get("/api/v1/finance/alerts/").json()["results"]
    assert [row["id"] for row in listed] == [str(theirs.id)]
    for method, url, body in _requests(ours)[1:4]:
        response = getattr(client, method)(url, body, format="json")
        assert response.status_code == 404, (method, url)
    assert client.get(f"/api/v1/finance/runs/{ours.run_id}/").status_code == 404
    assert _snapshot() == before
    assert not AuditEvent.objects.filter(object_id=str(ours.id), action="read").exists()


@pytest.mark.django_db
@pytest.mark.parametrize("agency_type", [AgencyType.FIU, AgencyType.FINANCIAL_INSTITUTION])
@pytest.mark.parametrize("action", list(FinanceAction))
def test_financial_analysts_of_financial_agencies_may_do_everything_on_their_own(
    agency_type: str, action: FinanceAction, make_user: Callable[..., User]
) -> None:
    agency: Agency = AgencyFactory(agency_type=agency_type)
    analyst = make_user(Role.FINANCIAL_ANALYST, agency)
    assert finance_policy.user_has_permission(analyst, action)
    agency.is_active = False
    agency.save()
    analyst.refresh_from_db()
    assert not finance_policy.user_has_permission(analyst, action)


@pytest.mark.django_db
def test_an_inactive_analyst_sees_nothing(
    fiu_analyst: User, store_alerts: Callable[..., list[FinancialAlert]]
) -> None:
    store_alerts(fiu_analyst, engine_alert())
    fiu_analyst.is_active = False
    fiu_analyst.save()
    assert not finance_policy.alerts_user_has_permission_for(fiu_analyst, FinanceAction.VIEW)
