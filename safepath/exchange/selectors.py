"""Every read of the exchange that crosses an access boundary: partners and the message log
for those who administer and audit it; transfers for the agencies at either end."""

from __future__ import annotations

import uuid

from django.db.models import QuerySet
from django.utils.translation import gettext as _

from safepath.accounts.models import User
from safepath.audit.models import Action
from safepath.audit.services import Actor, audit_record
from safepath.cases.policies import CaseAction, case_policy
from safepath.core.exceptions import NotFoundError, PermissionDeniedError
from safepath.exchange.models import Message, Partner, Transfer
from safepath.exchange.policies import (
    may_answer_transfer,
    may_handle_transfers,
    may_manage_partners,
    may_read_message_log,
)
from safepath.exchange.vocabulary import Direction, Kind, MessageStatus, Purpose, TransferStatus


def partner_list(*, user: User) -> QuerySet[Partner]:
    if not (may_manage_partners(user) or may_read_message_log(user)):
        raise PermissionDeniedError(_("Only an administrator sees the partner instances."))
    return Partner.objects.prefetch_related("agencies").order_by("country", "name")


def partner_get(*, user: User, partner_id: uuid.UUID | str) -> Partner:
    partner = partner_list(user=user).filter(pk=partner_id).first()
    if partner is None:
        raise NotFoundError(_("No such partner."))
    return partner


def partners_for_transfer(*, user: User) -> list[Partner]:
    """The partners a caseworker may choose for a transfer (names and countries only)."""
    if not may_handle_transfers(user):
        return []
    partners = Partner.objects.active().prefetch_related("agencies").order_by("country", "name")
    return [partner for partner in partners if partner.allows(Purpose.CASE_TRANSFER)]


def message_log(
    *,
    user: User,
    direction: str = "",
    partner: str = "",
    status: str = "",
) -> QuerySet[Message]:
    """What was sent and received, when, with its hash: never what it carried."""
    if not may_read_message_log(user):
        raise PermissionDeniedError(_("Only an administrator or the DPO reads the message log."))
    messages = Message.objects.select_related("partner").defer("token", "body")
    if direction:
        messages = messages.filter(direction=direction)
    if partner:
        messages = messages.filter(partner__instance_id=partner)
    if status:
        messages = messages.filter(status=status)
    return messages.order_by("-created_at")


def message_for_admin(*, user: User, message_id: uuid.UUID | str) -> Message:
    if not may_manage_partners(user):
        raise NotFoundError(_("No such message."))
    message = Message.objects.select_related("partner").filter(pk=message_id).first()
    if message is None:
        raise NotFoundError(_("No such message."))
    return message


def transfer_list(*, user: User) -> QuerySet[Transfer]:
    """Outgoing transfers of cases the user may share (their own agency's)."""
    if not may_handle_transfers(user):
        return Transfer.objects.none()
    cases = case_policy.instances_user_has_permission_for(user, CaseAction.SHARE)
    return (
        Transfer.objects.filter(case__in=cases)
        .select_related("case", "partner", "recipient_agency", "prepared_by", "approved_by")
        .order_by("-prepared_at")
    )


def transfer_get(*, user: User, transfer_id: uuid.UUID | str, channel: str) -> Transfer:
    """One outgoing transfer with its package (the child's data: the read is audited)."""
    transfer = transfer_list(user=user).filter(pk=transfer_id).first()
    if transfer is None:
        raise NotFoundError(_("No such transfer."))
    audit_record(
        actor=Actor.of(user, channel),
        action=Action.READ,
        object_type="exchange_transfer",
        object_id=transfer.id,
        details={"case": str(transfer.case_id)},
    )
    return transfer


def transfers_waiting_for_approval(*, user: User) -> QuerySet[Transfer]:
    return transfer_list(user=user).filter(status=TransferStatus.PREPARED).exclude(prepared_by=user)


def incoming_list(*, user: User) -> QuerySet[Message]:
    """Transfers received for the user's agency (waiting, or answered)."""
    if not may_answer_transfer(user, agency_id=user.agency_id):
        return Message.objects.none()
    return (
        Message.objects.select_related("partner", "case", "agency")
        .filter(direction=Direction.IN, kind=Kind.CASE_TRANSFER, agency=user.agency_id)
        .order_by("-created_at")
    )


def incoming_waiting_count(*, user: User) -> int:
    return incoming_list(user=user).filter(status=MessageStatus.RECEIVED).count()


def incoming_get(*, user: User, message_id: uuid.UUID | str, channel: str) -> Message:
    """One incoming transfer with its package (the child's data: the read is audited)."""
    message = incoming_list(user=user).filter(pk=message_id).first()
    if message is None:
        raise NotFoundError(_("No such transfer for your agency."))
    audit_record(
        actor=Actor.of(user, channel),
        action=Action.READ,
        object_type="exchange_message",
        object_id=message.id,
        details={"event": "read", "kind": message.kind},
    )
    return message
