"""Fixtures of the finance app's tests: a financial intelligence unit, a bank, their analysts,
and alerts stored through the real service.

Runs go through the real engine on the small synthetic files in ``data/``.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path

import pytest

from safepath.accounts.models import Agency, User
from safepath.accounts.roles import AgencyType, Role
from safepath.finance.engine import Alert, RuleHit
from safepath.finance.models import FinancialAlert, RunStatus, ScreeningRun
from safepath.finance.services import alert_record_many
from safepath.testing.factories import AgencyFactory

DATA = Path(__file__).parent / "data"


@pytest.fixture
def fiu(db: None) -> Agency:
    return AgencyFactory(name="Financial Intelligence Unit", code="fiu", agency_type=AgencyType.FIU)


@pytest.fixture
def bank(db: None) -> Agency:
    return AgencyFactory(
        name="Example Bank", code="bank", agency_type=AgencyType.FINANCIAL_INSTITUTION
    )


@pytest.fixture
def fiu_analyst(make_user: Callable[..., User], fiu: Agency) -> User:
    return make_user(Role.FINANCIAL_ANALYST, fiu, "fiu.analyst")


@pytest.fixture
def bank_analyst(make_user: Callable[..., User], bank: Agency) -> User:
    return make_user(Role.FINANCIAL_ANALYST, bank, "bank.analyst")


def hit(rule_id: str = "HT-15", txns: tuple[str, ...] = ("T-1", "T-2", "T-3")) -> RuleHit:
    return RuleHit(
        rule_id=rule_id,
        title=f"{rule_id} synthetic rule",
        typology="HTSE-controller",
        weight=40,
        evidence_txn_ids=txns,
        parameters={"n": 3, "window_days": 14, "threshold": "10000.00"},
        source="FinCEN-14 S1",
    )


def engine_alert(
    customer_id: str = "C-0001",
    *,
    score: int = 70,
    start: date = date(2025, 3, 1),
    end: date = date(2025, 3, 31),
    hits: tuple[RuleHit, ...] | None = None,
) -> Alert:
    return Alert(
        customer_id=customer_id,
        score=score,
        band="high" if score >= 60 else "medium",
        typologies=("HTSE-controller",),
        period_start=start,
        period_end=end,
        hits=hits or (hit(),),
        checklist=("A third party speaks for the customer.",),
    )


TXN_ROWS = {
    f"T-{n}": {
        "txn_id": f"T-{n}",
        "ts_utc": f"2025-03-0{n}T23:10:00+00:00",
        "customer_id": "C-0001",
        "account_id": "A-01",
        "amount": "9000.00",
        "currency": "USD",
        "direction": "in",
        "channel": "cash_branch",
        "cp_name": None,
        "memo": None,
    }
    for n in (1, 2, 3)
}


@pytest.fixture
def store_alerts(db: None) -> Callable[..., list[FinancialAlert]]:
    """Store engine alerts for an analyst's agency as a finished run would."""

    def store(user: User, *alerts: Alert) -> list[FinancialAlert]:
        run = ScreeningRun.objects.create(
            agency_id=user.agency_id,
            uploaded_by=user,
            status=RunStatus.DONE,
            customers_screened=200,
        )
        customers = {a.customer_id: {"customer_id": a.customer_id} for a in alerts}
        created, _ = alert_record_many(
            run=run, alerts=list(alerts), transactions=TXN_ROWS, customers=customers
        )
        return created

    return store
