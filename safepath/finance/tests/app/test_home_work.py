"""The financial analyst's home page counts the agency's open alerts (issue 19)."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from safepath.accounts.models import User
from safepath.finance.home import work_items
from safepath.finance.models import AlertStatus
from safepath.finance.tests.app.conftest import engine_alert
from safepath.testing.fixtures import web_client_for

pytestmark = pytest.mark.django_db


def test_open_alerts_of_the_agency_are_counted_as_the_queue_lists_them(
    fiu_analyst: User, bank_analyst: User, store_alerts: Callable[..., list]
) -> None:
    alerts = store_alerts(fiu_analyst, engine_alert("C-1"), engine_alert("C-2"))
    store_alerts(bank_analyst, engine_alert("C-3"))
    alerts[1].status = AlertStatus.NOT_SUSPICIOUS
    alerts[1].save(update_fields=["status"])

    [item] = work_items(fiu_analyst)

    assert item.count == 1
    home = web_client_for(fiu_analyst).get("/").content.decode()
    assert "Financial alerts waiting for a decision" in home
    queue = web_client_for(fiu_analyst).get(item.url).content.decode()
    assert "C-1" in queue
    assert "C-2" not in queue
    assert "C-3" not in queue  # another institution's alert is neither counted nor listed
