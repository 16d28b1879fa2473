"""Who may do what with the exchange between instances, in one place.

- A system administrator registers partner instances and reads the message log (kinds, times,
  hashes: never a child's data).
- The data-protection officer reads the message log too (what left, to whom, under what).
- A caseworker or supervisor who may share a case prepares its transfer; a supervisor of the
  owning agency, other than the person who prepared it, approves it (and only then it leaves).
- A caseworker or supervisor of the agency a transfer is addressed to accepts or declines it.
"""

from __future__ import annotations

from safepath.accounts.models import User
from safepath.accounts.roles import Role

MANAGES_PARTNERS = frozenset({Role.SYSTEM_ADMIN})
READS_MESSAGE_LOG = frozenset({Role.SYSTEM_ADMIN, Role.DATA_PROTECTION_OFFICER})
TRANSFERS_CASES = frozenset({Role.SUPERVISOR, Role.CASEWORKER})
APPROVES_TRANSFERS = frozenset({Role.SUPERVISOR})


def may_manage_partners(user: User) -> bool:
    return user.role in MANAGES_PARTNERS


def may_read_message_log(user: User) -> bool:
    return user.role in READS_MESSAGE_LOG


def may_handle_transfers(user: User) -> bool:
    """Prepares outgoing transfers and answers incoming ones (each case's own rule applies)."""
    return user.role in TRANSFERS_CASES and user.agency_id is not None


def may_approve_transfer(user: User, *, owner_agency_id: object, prepared_by_id: object) -> bool:
    return (
        user.role in APPROVES_TRANSFERS
        and user.agency_id == owner_agency_id
        and user.id != prepared_by_id
    )


def may_answer_transfer(user: User, *, agency_id: object) -> bool:
    return may_handle_transfers(user) and user.agency_id == agency_id
