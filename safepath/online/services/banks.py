"""Hash banks: import a file (all or nothing), and the in-memory matchers built from them.

A bank's matcher is built once per process and rebuilt when the bank changes (its
``updated_at``), like HMA's index cache. Building indexes a million PDQ hashes in seconds.
"""

from __future__ import annotations

import hashlib
import threading
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from safepath.accounts.models import Agency, User
from safepath.audit.models import Action
from safepath.core.exceptions import FieldValidationError, PermissionDeniedError
from safepath.online.engine import banks as bank_files
from safepath.online.engine.matching import PDQ_MAX_THRESHOLD, Matcher
from safepath.online.models import BankImport, BankSignal, HashBank, MatchScope
from safepath.online.policies import OnlineAction, online_policy
from safepath.online.services.common import audit, require

MAX_BANK_BYTES = 200 * 1024 * 1024


@dataclass(frozen=True)
class BankInput:
    name: str
    title: str
    source: str
    licence: str
    match_scope: str = MatchScope.OWNER
    allowed_agencies: tuple[Agency, ...] = ()
    pdq_threshold: int = 31
    quality_min: int = 50


def _check_bank(data: BankInput) -> dict[str, list[str]]:
    problems: dict[str, list[str]] = {}
    if not data.name or slugify(data.name) != data.name:
        problems["name"] = [_("Use lower-case letters, digits and hyphens.")]
    for field in ("title", "source", "licence"):
        if not getattr(data, field).strip():
            problems[field] = [_("Say where the hashes come from and on what terms.")]
    if data.match_scope not in MatchScope.values:
        problems["match_scope"] = [_("Choose who may match against this bank.")]
    if not 0 <= data.pdq_threshold <= PDQ_MAX_THRESHOLD:
        problems["pdq_threshold"] = [_("Between 0 and %d.") % PDQ_MAX_THRESHOLD]
    if data.match_scope == MatchScope.LISTED and not data.allowed_agencies:
        problems["allowed_agencies"] = [_("List the agencies that may match.")]
    if not 0 <= data.quality_min <= 100:
        problems["quality_min"] = [_("Between 0 and 100.")]
    return problems


def agencies_by_code(codes: str | list[str]) -> tuple[Agency, ...]:
    """Agencies named by their short codes (comma-separated or a list); unknown codes refused."""
    wanted = [c.strip() for c in (codes.split(",") if isinstance(codes, str) else codes)]
    wanted = [c for c in wanted if c]
    found = {a.code: a for a in Agency.objects.filter(code__in=wanted, is_active=True)}
    unknown = [c for c in wanted if c not in found]
    if unknown:
        raise FieldValidationError(
            {"allowed_agencies": [_("Unknown agency: %s.") % ", ".join(unknown)]}
        )
    return tuple(found[c] for c in wanted)


def bank_import(
    *,
    user: User,
    bank: BankInput | HashBank,
    content: bytes,
    file_name: str,
    file_format: str = "",
    channel: str,
) -> BankImport:
    """Create a bank (``BankInput``) or add to one (``HashBank``) from a hash-list file.

    The whole file is parsed first; one malformed line refuses it and nothing is stored.
    """
    require(user, OnlineAction.MANAGE_BANKS)
    if (
        isinstance(bank, HashBank)
        and not online_policy.banks_user_may_manage(user).filter(pk=bank.pk).exists()
    ):
        raise PermissionDeniedError(_("Only the agency that owns this bank adds to it."))
    problems = _check_bank(bank) if isinstance(bank, BankInput) else {}
    if isinstance(bank, BankInput) and HashBank.objects.filter(name=bank.name).exists():
        problems["name"] = [_("A bank with this name exists already.")]
    if len(content) > MAX_BANK_BYTES:
        problems["file"] = [_("The file is larger than %d MB.") % (MAX_BANK_BYTES // 2**20)]
    if problems:
        raise FieldValidationError(problems)
    try:
        parsed = bank_files.read_bank_bytes(content, name=file_name, fmt=file_format)
    except bank_files.BankFileError as error:
        raise FieldValidationError({"file": [str(p) for p in error.problems]}) from None
    with transaction.atomic():
        now = timezone.now()
        if isinstance(bank, BankInput):
            stored = HashBank.objects.create(
                name=bank.name,
                title=bank.title.strip(),
                source=bank.source.strip(),
                licence=bank.licence.strip(),
                owner=user.agency,  # type: ignore[misc] # require() checked the agency
                match_scope=bank.match_scope,
                pdq_threshold=bank.pdq_threshold,
                quality_min=bank.quality_min,
                created_by=user,
                created_at=now,
                updated_at=now,
            )
            stored.allowed_agencies.set(bank.allowed_agencies)
        else:
            stored = HashBank.objects.select_for_update().get(pk=bank.pk)
        before = stored.signals.count()
        BankSignal.objects.bulk_create(
            (
                BankSignal(
                    bank=stored, kind=s.kind, value=s.value, label=s.label, reference=s.reference
                )
                for s in parsed.signals
            ),
            batch_size=5000,
            ignore_conflicts=True,
        )
        added = stored.signals.count() - before
        stored.updated_at = now
        stored.save(update_fields=["updated_at"])
        record = BankImport.objects.create(
            bank=stored,
            file_sha256=hashlib.sha256(content).hexdigest(),
            file_format=parsed.format,
            added=added,
            already_present=len(parsed.signals) - added + parsed.duplicates,
            imported_by=user,
            imported_at=now,
        )
        audit(
            user,
            channel,
            Action.CREATE if isinstance(bank, BankInput) else Action.UPDATE,
            "hash_bank",
            stored.id,
            added=added,
            format=parsed.format,
        )
    return record


# --- matchers ------------------------------------------------------------------------------

_lock = threading.Lock()
_cache: dict[str, tuple[object, Matcher]] = {}


def _signals(bank: HashBank) -> Iterable[bank_files.Signal]:
    for kind, value, label, reference in bank.signals.values_list(
        "kind", "value", "label", "reference"
    ).iterator(chunk_size=20_000):
        yield bank_files.Signal(kind, value, 0, label, reference)


def matcher_for(banks: Sequence[HashBank]) -> Matcher:
    """One matcher over ``banks``, each built once per process per version of the bank."""
    combined = Matcher()
    for bank in banks:
        stamp = (bank.updated_at, bank.pdq_threshold, bank.quality_min)
        with _lock:
            cached = _cache.get(str(bank.id))
        if cached is None or cached[0] != stamp:
            single = Matcher()
            single.add_bank(
                bank.name,
                list(_signals(bank)),
                threshold=bank.pdq_threshold,
                quality_min=bank.quality_min,
            )
            with _lock:
                _cache[str(bank.id)] = (stamp, single)
            cached = (stamp, single)
        combined.merge(cached[1])
    return combined


def banks_by_name(*, user: User, names: Sequence[str]) -> list[HashBank]:
    """The named banks the user may match against; an unknown or forbidden name is refused."""
    require(user, OnlineAction.MATCH)
    allowed = {b.name: b for b in online_policy.banks_user_may_match(user)}
    unknown = [n for n in names if n not in allowed]
    if unknown:
        raise FieldValidationError({"banks": [_("Unknown bank: %s.") % ", ".join(unknown)]})
    return [allowed[n] for n in names] if names else list(allowed.values())
