"""Every change the exchange makes: one function each, atomic, permission-checked, audited.

One module per sub-domain; import the services from here."""

from safepath.exchange.services.keys import ExchangeNotConfiguredError, current_keys, this_instance
from safepath.exchange.services.partners import partner_register, partner_update
from safepath.exchange.services.receiving import ExchangeRefusedError, Receipt, message_receive
from safepath.exchange.services.sending import (
    DeliveryRun,
    message_queue,
    message_retry,
    messages_deliver_due,
    messages_handed_over,
    messages_waiting_for,
)
from safepath.exchange.services.transfers import (
    TransferRefusedError,
    transfer_accept,
    transfer_approve,
    transfer_decline,
    transfer_gates,
    transfer_prepare,
    withdrawals_send_due,
)

__all__ = [
    "DeliveryRun",
    "ExchangeNotConfiguredError",
    "ExchangeRefusedError",
    "Receipt",
    "TransferRefusedError",
    "current_keys",
    "message_queue",
    "message_receive",
    "message_retry",
    "messages_deliver_due",
    "messages_handed_over",
    "messages_waiting_for",
    "partner_register",
    "partner_update",
    "this_instance",
    "transfer_accept",
    "transfer_approve",
    "transfer_decline",
    "transfer_gates",
    "transfer_prepare",
    "withdrawals_send_due",
]
