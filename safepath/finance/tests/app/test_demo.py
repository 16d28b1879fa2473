"""The demo loader: real engine on a small synthetic bank, once."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from safepath.accounts.models import User
from safepath.accounts.roles import AgencyType, Role
from safepath.finance.demo import load_demo
from safepath.finance.models import FinancialAlert, RuleHit, ScreeningRun
from safepath.finance.uploads import upload_dir
from safepath.testing.factories import AgencyFactory


@pytest.mark.slow
@pytest.mark.django_db
def test_load_demo_stores_explained_alerts_once(make_user: Callable[..., User]) -> None:
    fiu = AgencyFactory(code="fiu", agency_type=AgencyType.FIU)
    make_user(Role.FINANCIAL_ANALYST, fiu, "fiu.analyst")

    first = load_demo(customers=150, days=45)
    second = load_demo(customers=150, days=45)

    run = ScreeningRun.objects.get()
    assert run.status == "done", run.problems
    assert first.created
    assert not second.created
    assert first.alerts == second.alerts == FinancialAlert.objects.filter(agency=fiu).count() > 0
    assert run.customers_screened == 150
    assert not upload_dir(run.id).exists()
    alert = FinancialAlert.objects.order_by("-score").first()
    assert alert is not None
    assert alert.evidence_transactions, "the evidence rows are kept with the alert"
    kept = {row["txn_id"] for row in alert.evidence_transactions}
    for hit in RuleHit.objects.filter(alert=alert):
        assert set(hit.evidence_txn_ids) <= kept
