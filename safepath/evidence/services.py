"""Every change in the evidence app: imports, budget spends, releases. Atomic, checked, audited.

Budget rule: epsilon is spent when noisy counts are *computed* (a draft or an on-demand DP
table), not when published — noise drawn and seen by anyone is privacy lost, even if the
release is later rejected. A spend that would exceed the source's total is refused with the
remaining budget in the message, and nothing is computed.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from safepath.accounts.models import User
from safepath.audit.models import Action, Channel
from safepath.audit.services import Actor, audit_record
from safepath.core.exceptions import ApplicationError, FieldValidationError, PermissionDeniedError
from safepath.evidence import notices
from safepath.evidence.engine import ctdc, tables
from safepath.evidence.engine.dimensions import InputError
from safepath.evidence.engine.store import SourceInfo
from safepath.evidence.methodology import methodology_note
from safepath.evidence.models import BudgetSpend, PrivacyBudget, Release, ReleaseStatus
from safepath.evidence.policies import EvidenceAction, evidence_policy
from safepath.evidence.selectors import analysis_store, release_get

# Every source starts with this total epsilon until the data-protection officer sets another.
DEFAULT_TOTAL_EPSILON = Decimal("5")
RELEASE = "evidence.release"


def engine_error(error: InputError) -> FieldValidationError:
    """An engine input error as the API's field error (the CLI prints the same message)."""
    return FieldValidationError({error.field_name: [str(error)]}, str(error))


def _actor(user: User | None, channel: str) -> Actor:
    return Actor.of(user, channel) if user is not None else Actor.system(channel)


def _require(user: User | None, action: EvidenceAction, message: str) -> None:
    if user is not None and not evidence_policy.user_has_permission(user, action):
        raise PermissionDeniedError(message)


def _epsilon(value: Any) -> Decimal:
    try:
        epsilon = Decimal(str(value))
    except InvalidOperation as error:
        raise FieldValidationError({"epsilon": [_("epsilon must be a number.")]}) from error
    if not epsilon.is_finite() or epsilon <= 0:
        raise FieldValidationError(
            {"epsilon": [_("epsilon must be a number greater than 0 (got %s).") % value]},
            _("epsilon must be a number greater than 0 (got %s).") % value,
        )
    return epsilon.quantize(Decimal("0.0001"))


def source_import_ctdc(
    *, path: Path, name: str, user: User | None = None, channel: str = Channel.CLI
) -> SourceInfo:
    """Validate and load a CTDC-format file as source ``name``; nothing stored if it fails."""
    _require(user, EvidenceAction.SET_BUDGET, _("Your role does not import data."))
    try:
        info = ctdc.import_ctdc(analysis_store(), Path(path), name)
    except InputError as error:
        raise engine_error(error) from error
    audit_record(
        actor=_actor(user, channel),
        action=Action.CREATE,
        object_type="evidence.source",
        object_id=name,
        purpose="import CTDC file",
        details={"schema": info.schema, "rows": info.rows, "file": info.origin},
    )
    return info


def _budget(source: str) -> PrivacyBudget:
    budget, _created = PrivacyBudget.objects.get_or_create(
        source=source, defaults={"total_epsilon": DEFAULT_TOTAL_EPSILON}
    )
    return PrivacyBudget.objects.select_for_update().get(pk=budget.pk)


@transaction.atomic
def budget_set(
    *, user: User | None, source: str, total_epsilon: Any, channel: str = Channel.CLI
) -> PrivacyBudget:
    """Set a source's total budget (data-protection officer); never below what is spent."""
    _require(user, EvidenceAction.SET_BUDGET, _("Only the data-protection officer sets budgets."))
    total = _epsilon(total_epsilon)
    budget = _budget(source)
    if total < budget.spent():
        raise FieldValidationError(
            {
                "total_epsilon": [
                    _("%(spent)s is already spent on this source.") % {"spent": budget.spent()}
                ]
            }
        )
    before = budget.total_epsilon
    budget.total_epsilon = total
    budget.save(update_fields=["total_epsilon", "updated_at"])
    audit_record(
        actor=_actor(user, channel),
        action=Action.UPDATE,
        object_type="evidence.budget",
        object_id=source,
        details={"total_epsilon": str(total), "before": str(before)},
    )
    return budget


def budget_spend(
    *,
    user: User | None,
    source: str,
    epsilon: Any,
    purpose: str,
    parameters: dict[str, Any],
    release: Release | None = None,
    channel: str = Channel.API,
) -> BudgetSpend:
    """Record a spend of epsilon on ``source``; refused (nothing recorded) if over budget."""
    amount = _epsilon(epsilon)
    with transaction.atomic():
        budget = _budget(source)
        remaining = budget.remaining()
        if amount > remaining:
            message = _(
                "Epsilon %(epsilon)s would exceed the privacy budget of source '%(source)s': "
                "%(remaining)s of %(total)s remains."
            ) % {
                "epsilon": amount,
                "source": source,
                "remaining": remaining,
                "total": budget.total_epsilon,
            }
            raise FieldValidationError({"epsilon": [message]}, message)
        spend = BudgetSpend.objects.create(
            budget=budget,
            epsilon=amount,
            spent_by=user,
            channel=channel,
            release=release,
            purpose=purpose[:200],
            parameters=parameters,
        )
        audit_record(
            actor=_actor(user, channel),
            action=Action.CREATE,
            object_type="evidence.budget_spend",
            object_id=spend.id,
            purpose=purpose[:200],
            details={"source": source, "epsilon": str(amount), **parameters},
        )
    return spend


def _parameters(
    source: str, by: Sequence[str], where: dict[str, Any] | None, k: int, epsilon: Any
) -> dict[str, Any]:
    return {
        "source": source,
        "by": list(by),
        "where": where or {},
        "k": k,
        "epsilon": None if epsilon is None else float(epsilon),
    }


def table_compute(
    *,
    user: User | None,
    source: str,
    by: Sequence[str],
    where: dict[str, Any] | None = None,
    k: int = tables.DEFAULT_K,
    epsilon: float | None = None,
    channel: str = Channel.API,
    release: Release | None = None,
) -> tables.Table:
    """A protected table on demand. With epsilon, the spend is recorded first, atomically.

    On demand, k is at least the publication threshold (11): a smaller k is only possible in a
    release, whose figures nobody but the reviewing data-protection officer sees before approval.
    The command line (``user`` None: the operator, on the server) is not limited.
    """
    _require(user, EvidenceAction.READ_TABLES, _("Your role does not read statistics."))
    if release is None and user is not None and k < tables.DEFAULT_K:
        message = _(
            "On demand, counts below %(k)s are always withheld (k = %(k)s at least). A smaller "
            "k needs a release, which the data-protection officer reviews before anyone sees it."
        ) % {"k": tables.DEFAULT_K}
        raise FieldValidationError({"k": [message]}, message)
    parameters = _parameters(source, by, where, k, epsilon)
    store = analysis_store()
    with transaction.atomic():
        try:
            tables.check_k(k)
            store.source(source)
        except InputError as error:
            raise engine_error(error) from error
        if epsilon is not None:
            budget_spend(
                user=user,
                source=source,
                epsilon=epsilon,
                purpose=_("release draft") if release else _("table on demand"),
                parameters=parameters,
                release=release,
                channel=channel,
            )
        try:
            table = tables.build_table(store, source, list(by), where, k=k, epsilon=epsilon)
        except InputError as error:
            raise engine_error(error) from error
        audit_record(
            actor=_actor(user, channel),
            action=Action.READ,
            object_type="evidence.table",
            object_id=source,
            details=parameters,
        )
    return table


def release_draft(
    *,
    actor: User | None,
    source: str,
    by: Sequence[str],
    where: dict[str, Any] | None = None,
    k: int = tables.DEFAULT_K,
    epsilon: float | None = None,
    title: str = "",
    channel: str = Channel.API,
) -> Release:
    """Compute a protected table and keep it as a draft release with its methodology note."""
    _require(actor, EvidenceAction.DRAFT, _("Your role does not draft releases."))
    parameters = _parameters(source, by, where, k, epsilon)
    with transaction.atomic():
        release = Release.objects.create(
            title=(title or _("Cases by %s") % ", ".join(by))[:200],
            source=source,
            parameters=parameters,
            created_by=actor,
        )
        table = table_compute(
            user=actor,
            source=source,
            by=by,
            where=where,
            k=k,
            epsilon=epsilon,
            channel=channel,
            release=release,
        )
        info = analysis_store().source(source)
        release.result = table.to_json()
        release.methodology = methodology_note(
            title=release.title, info=info, metadata=table.metadata
        )
        release.save(update_fields=["result", "methodology"])
        audit_record(
            actor=_actor(actor, channel),
            action=Action.CREATE,
            object_type=RELEASE,
            object_id=release.id,
            details={"status": release.status, **parameters},
        )
    return release


def _transition(
    *,
    user: User,
    release_id: uuid.UUID,
    action: EvidenceAction,
    channel: str,
    changes: dict[str, Any],
    details: dict[str, Any] | None = None,
) -> Release:
    with transaction.atomic():
        release = release_get(user=user, release_id=release_id, action=action)
        release = Release.objects.select_for_update().get(pk=release.pk)
        if not evidence_policy.user_has_permission_for_instance(user, action, release):
            raise ApplicationError(_("The release changed meanwhile; reload it."), code="conflict")
        before = release.status
        for name, value in changes.items():
            setattr(release, name, value)
        release.version += 1
        release.save()
        audit_record(
            actor=Actor.of(user, channel),
            action=Action.UPDATE,
            object_type=RELEASE,
            object_id=release.id,
            details={
                "action": str(action),
                "from": before,
                "to": release.status,
                **release.parameters,
                **(details or {}),
            },
        )
    return release


def release_submit(*, actor: User, release_id: uuid.UUID, channel: str = Channel.API) -> Release:
    """The author sends a draft to the data-protection officer (who is notified)."""
    with transaction.atomic():
        release = _transition(
            user=actor,
            release_id=release_id,
            action=EvidenceAction.SUBMIT,
            channel=channel,
            changes={"status": ReleaseStatus.IN_REVIEW, "submitted_at": timezone.now()},
        )
        notices.release_submitted(release)
    return release


def release_review(
    *, actor: User, release_id: uuid.UUID, approve: bool, note: str = "", channel: str = Channel.API
) -> Release:
    """The data-protection officer approves (ready to publish) or rejects a release in review."""
    if not approve and not note.strip():
        raise FieldValidationError({"note": [_("Say why the release is rejected.")]})
    changes: dict[str, Any] = {
        "reviewed_by": actor,
        "reviewed_at": timezone.now(),
        "review_note": note[:2000],
        "approved": approve,
    }
    if not approve:
        changes["status"] = ReleaseStatus.REJECTED
    return _transition(
        user=actor,
        release_id=release_id,
        action=EvidenceAction.REVIEW,
        channel=channel,
        changes=changes,
        details={"approved": approve},
    )


def release_publish(*, actor: User, release_id: uuid.UUID, channel: str = Channel.API) -> Release:
    """Publish an approved release: from now on its files may be downloaded."""
    return _transition(
        user=actor,
        release_id=release_id,
        action=EvidenceAction.PUBLISH,
        channel=channel,
        changes={
            "status": ReleaseStatus.PUBLISHED,
            "published_by": actor,
            "published_at": timezone.now(),
        },
    )


def release_draft_prepared(
    *,
    actor: User,
    title: str,
    source: str,
    by: Sequence[str],
    k: int,
    result: dict[str, Any],
    methodology: str,
    channel: str = Channel.API,
) -> Release:
    """A draft release whose protected table another app computed with this app's engine (a
    consultation's summary, for example): from here on it goes through the same review by the
    data-protection officer and the same publication as any statistics."""
    _require(actor, EvidenceAction.DRAFT, _("Your role does not draft releases."))
    parameters = _parameters(source, by, None, tables.check_k(k), None)
    with transaction.atomic():
        release = Release.objects.create(
            title=title[:200],
            source=source,
            parameters=parameters,
            result=result,
            methodology=methodology,
            created_by=actor,
        )
        audit_record(
            actor=_actor(actor, channel),
            action=Action.CREATE,
            object_type=RELEASE,
            object_id=release.id,
            details={"status": release.status, **parameters},
        )
    return release
