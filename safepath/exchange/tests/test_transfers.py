"""A case transfer: every gate closed in turn refuses it with nothing sent; the package holds
only what both the consent and the registration allow; the supervisor approves exactly what
leaves; the receiver's caseworker imports it as a new case linked to the sender's reference."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from safepath.accounts.models import Agency, User
from safepath.accounts.roles import Role
from safepath.audit.models import AuditEvent, Channel
from safepath.cases.models import Case, Consent
from safepath.cases.services import (
    consent_record,
    consent_withdraw,
    determination_approve,
    determination_record,
    family_member_add,
    note_add,
)
from safepath.core.exceptions import PermissionDeniedError
from safepath.exchange.instance_keys import InstanceKeys
from safepath.exchange.models import CaseLink, Message, Partner, Transfer
from safepath.exchange.services import (
    TransferRefusedError,
    message_receive,
    transfer_accept,
    transfer_approve,
    transfer_decline,
    transfer_prepare,
    withdrawals_send_due,
)
from safepath.exchange.tests.helpers import from_remote, opened_by_remote
from safepath.exchange.vocabulary import Direction, MessageStatus, TransferStatus
from safepath.testing.factories import register_case

pytestmark = pytest.mark.django_db
PANEL = [{"name": f"Panel member {n}", "role": "officer"} for n in range(3)]


def _consent(user: User, case: Case, agency: Agency, categories: list[str]) -> Consent:
    return consent_record(
        user=user,
        case=case,
        given_by="guardian",
        purpose="sharing",
        data_scope="the case for its transfer",
        recipient_agency=agency,
        given_on=timezone.localdate(),
        expires_on=None,
        channel=Channel.API,
        data_categories=categories,
        child_assent=True,
    )


def _determination(
    caseworker: User, supervisor: User, case: Case, decision: str = "return", checks: bool = True
) -> None:
    record = determination_record(
        user=caseworker,
        case=case,
        decided_on=timezone.localdate(),
        panel=PANEL,
        decision=decision,
        reasons="Synthetic reasons.",
        risk_assessment_done=checks,
        non_refoulement_checked=checks,
        channel=Channel.API,
    )
    determination_approve(user=supervisor, determination=record, channel=Channel.API)


@pytest.fixture
def case(caseworker_a: User) -> Case:
    case = register_case(caseworker_a)
    family_member_add(
        user=caseworker_a, case=case, relation="aunt", name="Synthetic Aunt", channel=Channel.API
    )
    note_add(user=caseworker_a, case=case, body="A synthetic note.", channel=Channel.API)
    return case


@pytest.fixture
def ready(
    case: Case, caseworker_a: User, supervisor_a: User, remote_agency: Agency, partner: Partner
) -> Case:
    """Every gate open: consent (identity, case facts, notes), an approved return."""
    _consent(caseworker_a, case, remote_agency, ["identity", "case_facts", "notes"])
    _determination(caseworker_a, supervisor_a, case)
    return case


def _refusal_codes(user: User, case: Case, partner: Partner, agency: Agency) -> set[str]:
    before = (Transfer.objects.count(), Message.objects.count())
    with pytest.raises(TransferRefusedError) as caught:
        transfer_prepare(
            user=user, case=case, partner=partner, recipient_agency=agency, channel=Channel.API
        )
    assert (Transfer.objects.count(), Message.objects.count()) == before
    return {r.code for r in caught.value.refusals}


def test_without_consent_nothing_is_prepared(
    case: Case, caseworker_a: User, supervisor_a: User, partner: Partner, remote_agency: Agency
) -> None:
    _determination(caseworker_a, supervisor_a, case)
    assert _refusal_codes(caseworker_a, case, partner, remote_agency) == {"consent_missing"}


def test_a_consent_for_another_recipient_or_withdrawn_does_not_count(
    case: Case,
    caseworker_a: User,
    supervisor_a: User,
    partner: Partner,
    remote_agency: Agency,
    agency_b: Agency,
) -> None:
    _determination(caseworker_a, supervisor_a, case)
    _consent(caseworker_a, case, agency_b, ["identity"])
    withdrawn = _consent(caseworker_a, case, remote_agency, ["identity"])
    consent_withdraw(user=caseworker_a, consent=withdrawn, channel=Channel.API)
    assert _refusal_codes(caseworker_a, case, partner, remote_agency) == {"consent_missing"}


def test_without_an_approved_determination_nothing_is_prepared(
    case: Case, caseworker_a: User, partner: Partner, remote_agency: Agency
) -> None:
    _consent(caseworker_a, case, remote_agency, ["identity"])
    determination_record(
        user=caseworker_a,
        case=case,
        decided_on=timezone.localdate(),
        panel=PANEL,
        decision="return",
        reasons="Synthetic reasons.",
        risk_assessment_done=True,
        non_refoulement_checked=True,
        channel=Channel.API,
    )  # recorded, never approved
    assert _refusal_codes(caseworker_a, case, partner, remote_agency) == {"determination_missing"}


def test_a_return_without_its_risk_checks_is_refused_by_the_cases_rule(
    case: Case, caseworker_a: User, supervisor_a: User, partner: Partner, remote_agency: Agency
) -> None:
    _consent(caseworker_a, case, remote_agency, ["identity"])
    _determination(caseworker_a, supervisor_a, case, checks=False)
    codes = _refusal_codes(caseworker_a, case, partner, remote_agency)
    assert codes == {"determination_missing"}


def test_a_determination_that_keeps_the_child_in_the_country_does_not_open_the_gate(
    case: Case, caseworker_a: User, supervisor_a: User, partner: Partner, remote_agency: Agency
) -> None:
    _consent(caseworker_a, case, remote_agency, ["identity"])
    _determination(caseworker_a, supervisor_a, case, decision="local_integration")
    assert _refusal_codes(caseworker_a, case, partner, remote_agency) == {"determination_missing"}


def test_a_partner_not_registered_for_case_transfer_gets_nothing(
    ready: Case, caseworker_a: User, partner: Partner, remote_agency: Agency
) -> None:
    Partner.objects.filter(pk=partner.pk).update(purposes=["tracing"])
    partner.refresh_from_db()
    assert _refusal_codes(caseworker_a, ready, partner, remote_agency) == {"partner_not_registered"}


def test_an_agency_the_partner_does_not_speak_for_gets_nothing(
    ready: Case, caseworker_a: User, partner: Partner, agency_b: Agency
) -> None:
    assert "agency_not_of_partner" in _refusal_codes(caseworker_a, ready, partner, agency_b)


def test_only_the_categories_both_allow_are_packed(
    ready: Case, caseworker_a: User, partner: Partner, remote_agency: Agency
) -> None:
    transfer = transfer_prepare(
        user=caseworker_a,
        case=ready,
        partner=partner,
        recipient_agency=remote_agency,
        channel=Channel.API,
    )
    # consent: identity, case facts, notes; registration: identity, case facts, contact
    assert transfer.categories == ["case_facts", "identity"]
    package = transfer.package
    assert package["child"]["given_name"] == "Amina"
    assert package["forms_of_exploitation"] == ["forced_labour"]
    assert "notes" not in package  # consented, but the partner may not receive notes
    assert "family" not in package  # the partner may receive contact, but no consent covers it
    assert "address" not in package["child"]
    assert package["withheld_categories"] == ["contact", "health", "justice", "notes", "plan"]
    assert package["reference"] == ready.reference


def test_the_supervisor_approves_exactly_the_package_and_it_is_what_leaves(
    ready: Case,
    caseworker_a: User,
    supervisor_a: User,
    partner: Partner,
    remote: InstanceKeys,
    remote_agency: Agency,
) -> None:
    transfer = transfer_prepare(
        user=caseworker_a,
        case=ready,
        partner=partner,
        recipient_agency=remote_agency,
        channel=Channel.API,
    )
    with pytest.raises(PermissionDeniedError):
        transfer_approve(user=caseworker_a, transfer=transfer, channel=Channel.API)
    approved = transfer_approve(user=supervisor_a, transfer=transfer, channel=Channel.API)
    assert approved.status == TransferStatus.APPROVED
    message = approved.message
    assert message is not None
    assert message.status == MessageStatus.QUEUED
    claims = opened_by_remote(remote, message)
    assert claims.kind == "case_transfer"
    assert claims.body["package"] == transfer.package
    assert claims.body["recipient_agency"]["code"] == remote_agency.code
    assert AuditEvent.objects.filter(
        object_id=str(message.id), details__event="queued", details__digest=message.digest
    ).exists()


def test_a_change_after_preparation_means_preparing_again(
    ready: Case,
    caseworker_a: User,
    supervisor_a: User,
    partner: Partner,
    remote_agency: Agency,
) -> None:
    transfer = transfer_prepare(
        user=caseworker_a,
        case=ready,
        partner=partner,
        recipient_agency=remote_agency,
        channel=Channel.API,
    )
    Case.objects.filter(pk=ready.pk).update(country_of_origin="TZ")
    with pytest.raises(TransferRefusedError) as caught:
        transfer_approve(user=supervisor_a, transfer=transfer, channel=Channel.API)
    assert [r.code for r in caught.value.refusals] == ["package_changed"]
    assert Message.objects.filter(direction=Direction.OUT).count() == 0


def _incoming_transfer(remote: InstanceKeys, agency: Agency, consent: str = "c-1") -> Message:
    body = {
        "format": "safepath.case-transfer/1",
        "package": {
            "id": "7d3c9a5e-0000-4000-8000-000000000001",
            "reference": "SP-REMO-TE01",
            "identified_on": (timezone.localdate() - datetime.timedelta(days=30)).isoformat(),
            "child": {"given_name": "Baraka", "sex": "male", "date_of_birth": "2011-02-03"},
            "forms_of_exploitation": ["begging"],
            "family": [{"relation": "mother", "name": "Synthetic Mother", "contact": ""}],
            "withheld_categories": ["health"],
        },
        "categories": ["identity", "case_facts", "contact"],
        "consent": consent,
        "recipient_agency": {"code": agency.code, "name": agency.name},
        "determination": {"decision": "return", "decided_on": "2026-11-30"},
    }
    token = from_remote(remote, kind="case_transfer", purpose="case_transfer", body=body)
    return message_receive(token=token, channel=Channel.API, via="push").message


def test_the_receiving_caseworker_imports_the_transfer_as_a_new_linked_case(
    partner: Partner,
    remote: InstanceKeys,
    agency_a: Agency,
    caseworker_a: User,
    caseworker_b: User,
) -> None:
    message = _incoming_transfer(remote, agency_a)
    with pytest.raises(Exception, match="No such transfer"):
        transfer_accept(user=caseworker_b, message=message, channel=Channel.API)
    case = transfer_accept(user=caseworker_a, message=message, channel=Channel.API)
    assert case.owner_agency == agency_a
    assert case.child.given_name == "Baraka"
    assert case.forms_of_exploitation == ["begging"]
    assert list(case.family.values_list("relation", flat=True)) == ["mother"]
    link = CaseLink.objects.get(case=case)
    assert (link.remote_reference, link.direction) == ("SP-REMO-TE01", Direction.IN)
    message.refresh_from_db()
    assert message.status == MessageStatus.APPLIED
    ack = Message.objects.get(
        direction=Direction.OUT, in_reply_to=message.id, kind="acknowledgement", sequence__gt=1
    )
    claims = opened_by_remote(remote, ack)
    assert claims.body["outcome"] == "accepted"
    assert claims.body["reference"] == case.reference
    with pytest.raises(Exception, match="answered already"):
        transfer_accept(user=caseworker_a, message=message, channel=Channel.API)


def test_a_declined_transfer_drops_its_package(
    partner: Partner, remote: InstanceKeys, agency_a: Agency, caseworker_a: User
) -> None:
    message = _incoming_transfer(remote, agency_a)
    transfer_decline(user=caseworker_a, message=message, channel=Channel.API)
    message.refresh_from_db()
    assert (message.status, message.body) == (MessageStatus.DECLINED, None)
    assert Case.objects.count() == 0


def test_a_withdrawal_reaches_the_receiver_and_stops_what_came_under_the_consent(
    partner: Partner, remote: InstanceKeys, agency_a: Agency, caseworker_a: User
) -> None:
    accepted = _incoming_transfer(remote, agency_a, consent="consent-1")
    case = transfer_accept(user=caseworker_a, message=accepted, channel=Channel.API)
    pending = _incoming_transfer(remote, agency_a, consent="consent-1")
    token = from_remote(
        remote,
        kind="consent_withdrawal",
        purpose="case_transfer",
        body={"consent": "consent-1", "case": "x", "reference": "SP-REMO-TE01"},
    )
    withdrawal = message_receive(token=token, channel=Channel.API, via="push").message
    assert withdrawal.status == MessageStatus.APPLIED
    link = CaseLink.objects.get(case=case)
    assert link.consent_withdrawn_at is not None
    pending.refresh_from_db()
    assert (pending.status, pending.body) == (MessageStatus.DECLINED, None)


def test_a_withdrawal_at_home_travels_to_the_partner_once(
    ready: Case,
    caseworker_a: User,
    supervisor_a: User,
    partner: Partner,
    remote: InstanceKeys,
    remote_agency: Agency,
) -> None:
    transfer = transfer_prepare(
        user=caseworker_a,
        case=ready,
        partner=partner,
        recipient_agency=remote_agency,
        channel=Channel.API,
    )
    transfer_approve(user=supervisor_a, transfer=transfer, channel=Channel.API)
    consent_withdraw(user=caseworker_a, consent=transfer.consent, channel=Channel.API)
    sent = withdrawals_send_due(channel=Channel.SYSTEM)
    assert len(sent) == 1
    claims = opened_by_remote(remote, sent[0])
    assert claims.kind == "consent_withdrawal"
    assert claims.body["consent"] == str(transfer.consent_id)
    assert withdrawals_send_due(channel=Channel.SYSTEM) == []


def test_a_caseworker_outside_the_case_cannot_prepare_its_transfer(
    ready: Case, make_user: object, agency_a: Agency, partner: Partner, remote_agency: Agency
) -> None:
    other = make_user(Role.CASEWORKER, agency_a, "other.caseworker")  # type: ignore[operator]
    with pytest.raises(PermissionDeniedError):
        transfer_prepare(
            user=other,
            case=ready,
            partner=partner,
            recipient_agency=remote_agency,
            channel=Channel.API,
        )
    assert Transfer.objects.count() == 0
