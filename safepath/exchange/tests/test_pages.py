"""The pages: a caseworker prepares a transfer from the case number, the supervisor sees the
package and approves it; the receiving caseworker sees what came and accepts it; partners and
the log for the administrator; nothing for the other roles."""

from __future__ import annotations

from typing import Any

import pytest
from django.utils import timezone

from safepath.accounts.models import Agency, User
from safepath.accounts.roles import Role
from safepath.audit.models import Channel
from safepath.cases.models import Case
from safepath.exchange.instance_keys import InstanceKeys
from safepath.exchange.models import Message, Partner, Transfer
from safepath.exchange.services import message_receive
from safepath.exchange.tests.helpers import from_remote
from safepath.exchange.tests.test_transfers import _consent, _determination
from safepath.exchange.vocabulary import MessageStatus, TransferStatus
from safepath.testing.factories import register_case
from safepath.testing.fixtures import web_client_for

pytestmark = pytest.mark.django_db


def test_prepare_see_the_package_and_approve_on_the_web(
    caseworker_a: User,
    supervisor_a: User,
    partner: Partner,
    remote_agency: Agency,
) -> None:
    case = register_case(caseworker_a)
    _consent(caseworker_a, case, remote_agency, ["identity"])
    _determination(caseworker_a, supervisor_a, case)
    web = web_client_for(caseworker_a)
    found = web.get("/exchange/transfers/", {"reference": case.reference.lower()})
    assert found.status_code == 302
    prepare = found["Location"]
    assert web.get(prepare).status_code == 200
    answer = web.post(prepare, {"target": f"{partner.id}:{remote_agency.id}"})
    transfer = Transfer.objects.get()
    assert answer["Location"] == f"/exchange/transfers/{transfer.id}/"
    boss = web_client_for(supervisor_a)
    page = boss.get(answer["Location"]).content.decode()
    assert "Amina" in page  # the given name: identity was consented and registered
    assert "Synthetic summary" not in page  # case facts: not consented
    assert 'data-testid="approve"' in page
    boss.post(answer["Location"])
    transfer.refresh_from_db()
    assert transfer.status == TransferStatus.APPROVED


def test_a_closed_gate_is_shown_in_words_and_nothing_is_prepared(
    caseworker_a: User, partner: Partner, remote_agency: Agency
) -> None:
    case = register_case(caseworker_a)
    web = web_client_for(caseworker_a)
    page = web.post(
        f"/exchange/cases/{case.id}/transfer/", {"target": f"{partner.id}:{remote_agency.id}"}
    ).content.decode()
    assert 'data-testid="refusals"' in page
    assert "No consent in force" in page
    assert Transfer.objects.count() == 0


def test_the_receiving_caseworker_accepts_on_the_web(
    partner: Partner, remote: InstanceKeys, agency_a: Agency, caseworker_a: User
) -> None:
    body: dict[str, Any] = {
        "package": {
            "id": "x",
            "reference": "SP-WXYZ-2345",
            "identified_on": timezone.localdate().isoformat(),
            "child": {"given_name": "Imani"},
        },
        "categories": ["identity"],
        "consent": "c",
        "recipient_agency": {"code": agency_a.code, "name": agency_a.name},
    }
    token = from_remote(remote, kind="case_transfer", purpose="case_transfer", body=body)
    message = message_receive(token=token, channel=Channel.API, via="push").message
    web = web_client_for(caseworker_a)
    listing = web.get("/exchange/transfers/").content.decode()
    assert f"/exchange/incoming/{message.id}/" in listing
    assert "Imani" in web.get(f"/exchange/incoming/{message.id}/").content.decode()
    answer = web.post(f"/exchange/incoming/{message.id}/", {"answer": "accept"})
    case = Case.objects.get()
    assert answer["Location"] == f"/cases/{case.id}/"
    message.refresh_from_db()
    assert message.status == MessageStatus.APPLIED


def test_partners_page_for_the_administrator_only(
    partner: Partner, admin: User, make_user: Any, agency_a: Agency
) -> None:
    page = web_client_for(admin).get("/exchange/partners/").content.decode()
    assert partner.instance_id in page
    for role in (Role.CASEWORKER, Role.COORDINATOR, Role.ANALYST):
        assert (
            web_client_for(make_user(role, agency_a)).get("/exchange/partners/").status_code == 404
        )
    assert web_client_for(admin).get("/exchange/transfers/").status_code == 404
    assert Message.objects.count() == 0
