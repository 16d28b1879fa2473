"""Every change to screening runs and financial alerts: atomic, audited, checked by the policy.

A run keeps the uploaded files, sealed (``uploads.py``), only until the engine has read them;
afterwards only their SHA-256 and size remain, and each alert keeps the rows it rests on: the
customer's profile and the transactions behind its rule hits.
"""

from __future__ import annotations

import hashlib
import json
import logging
import uuid
from collections.abc import Mapping, Sequence
from datetime import date
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from safepath.accounts.models import User
from safepath.audit.models import Action, Channel
from safepath.audit.services import Actor, audit_record, audit_record_many
from safepath.core import crypto
from safepath.core.exceptions import (
    ApplicationError,
    ConflictError,
    FieldValidationError,
    NotFoundError,
)
from safepath.finance import notices, uploads
from safepath.finance.models import (
    CUSTOMER_INDEX_PURPOSE,
    STATUS_AFTER,
    AlertDisposition,
    AlertReport,
    AlertStatus,
    Decision,
    FinancialAlert,
    RuleHit,
    RunStatus,
    ScreeningRun,
)
from safepath.finance.policies import FinanceAction, finance_policy

logger = logging.getLogger(__name__)

# Which files a run takes, and the formats each may come in.
INPUT_FORMATS: dict[str, frozenset[str]] = {
    "transactions": frozenset({".csv", ".parquet", ".xml"}),
    "customers": frozenset({".csv", ".parquet"}),
    "mapping": frozenset({".yaml", ".yml", ".json"}),
}
REQUIRED_INPUTS = ("transactions", "customers")
REASON_MAX = 4000


def _require(user: User, action: FinanceAction) -> None:
    """Outside the finance roles the whole area does not exist: 404, never 403."""
    if not finance_policy.user_has_permission(user, action):
        raise NotFoundError(_("No such page."))


def customer_index(customer_id: str) -> str:
    return crypto.blind_index(customer_id, purpose=CUSTOMER_INDEX_PURPOSE)


def _required(files: Mapping[str, uploads.Upload | None]) -> tuple[str, ...]:
    """A camt.053 statement names its account owners: customers are then optional."""
    statement = files.get("transactions")
    if statement is not None and Path(statement.name or "").suffix.lower() == ".xml":
        return ("transactions",)
    return REQUIRED_INPUTS


# --- screening runs ----------------------------------------------------------------------------


def _suffix_of(role: str, upload: uploads.Upload) -> str:
    suffix = Path(upload.name or "").suffix.lower()
    if suffix not in INPUT_FORMATS[role]:
        allowed = ", ".join(sorted(INPUT_FORMATS[role]))
        raise FieldValidationError({role: [_("Upload a file ending in %s.") % allowed]})
    return suffix


def screening_run_start(
    *,
    user: User,
    files: Mapping[str, uploads.Upload | None],
    base_currency: str = "USD",
    channel: str,
) -> ScreeningRun:
    """Keep the files (sealed) until the engine has read them, record the run, queue it."""
    _require(user, FinanceAction.SCREEN)
    problems: dict[str, list[str]] = {}
    suffixes: dict[str, str] = {}
    for role in INPUT_FORMATS:
        upload = files.get(role)
        if upload is None:
            if role in _required(files):
                problems[role] = [_("This file is required.")]
            continue
        try:
            suffixes[role] = _suffix_of(role, upload)
        except FieldValidationError as error:
            problems.update(error.fields)
    currency = (base_currency or "").strip().upper()
    if len(currency) != 3 or not currency.isalpha():
        problems["base_currency"] = [_("Give a three-letter ISO 4217 currency code.")]
    if problems:
        raise FieldValidationError(problems)
    run = ScreeningRun(agency=user.agency, uploaded_by=user, base_currency=currency)
    try:
        for role, suffix in suffixes.items():
            upload = files[role]
            assert upload is not None  # noqa: S101 - suffixes only holds given files
            run.files[role] = uploads.store(upload, run.id, f"{role}{suffix}")
        with transaction.atomic():
            run.save()
            audit_record(
                actor=Actor.of(user, channel),
                action=Action.CREATE,
                object_type="finance_run",
                object_id=run.id,
                details={"files": sorted(run.files)},
            )
            transaction.on_commit(lambda: _enqueue(run.id))
    except BaseException:
        uploads.discard(run.id)
        raise
    return run


def _enqueue(run_id: uuid.UUID) -> None:
    from safepath.finance.tasks import screening_run_execute

    screening_run_execute.enqueue(str(run_id))


def screening_run_claim(*, run_id: uuid.UUID | str) -> ScreeningRun | None:
    """Mark a queued run as running; None if another worker has it or it is finished."""
    with transaction.atomic():
        claimed = ScreeningRun.objects.filter(pk=run_id, status=RunStatus.QUEUED).update(
            status=RunStatus.RUNNING
        )
    return ScreeningRun.objects.get(pk=run_id) if claimed else None


def screening_run_complete(
    *,
    run: ScreeningRun,
    result: Any,
    transactions: Mapping[str, dict[str, Any]],
    customers: Mapping[str, dict[str, Any]],
) -> ScreeningRun:
    """Store the engine's result: the alerts (repeats suppressed) and the run's figures."""
    with transaction.atomic():
        created, suppressed = alert_record_many(
            run=run, alerts=result.alerts, transactions=transactions, customers=customers
        )
        run.status = RunStatus.DONE
        run.customers_screened = int(result.customers)
        run.transactions_screened = int(result.transactions)
        run.alerts_raised = len(created)
        run.alerts_suppressed = suppressed + len(result.suppressed)
        run.skipped_rules = [
            {"id": skipped.id, "missing_fields": list(skipped.missing_fields)}
            for skipped in result.skipped_rules
        ]
        _finish(run)
        if created:
            notices.alerts_raised(run)
    return run


def screening_run_fail(*, run: ScreeningRun, problems: Sequence[dict[str, Any]]) -> ScreeningRun:
    """The files could not be screened: keep the problems (file, row, field), store no alert."""
    with transaction.atomic():
        run.status = RunStatus.FAILED
        run.problems = list(problems)
        _finish(run)
    return run


def _finish(run: ScreeningRun) -> None:
    run.finished_at = timezone.now()
    run.save()
    audit_record(
        actor=Actor(run.uploaded_by_id, run.agency_id, Channel.SYSTEM),
        action=Action.UPDATE,
        object_type="finance_run",
        object_id=run.id,
        details={"status": run.status, "alerts": run.alerts_raised},
    )


# --- alerts ------------------------------------------------------------------------------------


def _overlaps(a: tuple[date, date], b: tuple[date, date]) -> bool:
    return a[0] <= b[1] and b[0] <= a[1]


def alert_record_many(
    *,
    run: ScreeningRun,
    alerts: Sequence[Any],
    transactions: Mapping[str, dict[str, Any]],
    customers: Mapping[str, dict[str, Any]],
) -> tuple[list[FinancialAlert], int]:
    """Store the engine's alerts for the run's agency: one per customer per period.

    An alert whose customer already has one (in this batch or before) for an overlapping period
    is a repeat and is suppressed. Returns the stored alerts and how many were suppressed.
    """
    indexes = {alert.customer_id: customer_index(alert.customer_id) for alert in alerts}
    # during an index-key rotation an earlier alert may still carry an older key's index
    older = {
        other: indexes[customer]
        for customer in indexes
        for other in crypto.blind_indexes(customer, purpose=CUSTOMER_INDEX_PURPOSE)
    }
    known: dict[str, list[tuple[date, date]]] = {}
    for index, start, end in FinancialAlert.objects.filter(
        agency=run.agency_id, customer_index__in=set(older)
    ).values_list("customer_index", "period_start", "period_end"):
        known.setdefault(older[index], []).append((start, end))
    now = timezone.now()
    stored: list[FinancialAlert] = []
    hits: list[RuleHit] = []
    suppressed = 0
    for alert in sorted(alerts, key=lambda a: (-int(a.score), a.customer_id)):
        index = indexes[alert.customer_id]
        period = (alert.period_start, alert.period_end)
        if any(_overlaps(period, earlier) for earlier in known.get(index, [])):
            suppressed += 1
            continue
        known.setdefault(index, []).append(period)
        wanted = list(dict.fromkeys(t for hit in alert.hits for t in hit.evidence_txn_ids))
        row = FinancialAlert(
            agency_id=run.agency_id,
            run=run,
            customer_id=alert.customer_id,
            customer_index=index,
            customer_record=customers.get(alert.customer_id, {"customer_id": alert.customer_id}),
            evidence_transactions=[transactions[t] for t in wanted if t in transactions],
            score=int(alert.score),
            band=alert.band,
            typologies=list(alert.typologies),
            period_start=alert.period_start,
            period_end=alert.period_end,
            checklist=list(alert.checklist),
            created_at=now,
            updated_at=now,
        )
        stored.append(row)
        hits.extend(
            RuleHit(
                alert=row,
                rule_id=hit.rule_id,
                title=hit.title,
                typology=hit.typology,
                weight=int(hit.weight),
                evidence_txn_ids=list(hit.evidence_txn_ids),
                parameters=_jsonable(hit.parameters),
                source=str(getattr(hit, "source", ""))[:300],
            )
            for hit in alert.hits
        )
    with transaction.atomic():
        FinancialAlert.objects.bulk_create(stored, batch_size=500)
        RuleHit.objects.bulk_create(hits, batch_size=1000)
        audit_record_many(
            actor=Actor(run.uploaded_by_id, run.agency_id, Channel.SYSTEM),
            action=Action.CREATE,
            object_type="financial_alert",
            object_ids=[row.id for row in stored],
            details={"run": str(run.id)},
        )
    return stored, suppressed


def _jsonable(values: Mapping[str, Any]) -> dict[str, Any]:
    """Parameter values as JSON: Decimals and dates become text, lists stay lists."""
    out: dict[str, Any] = {}
    for name, value in values.items():
        if isinstance(value, bool | int | float | str) or value is None:
            out[str(name)] = value
        elif isinstance(value, list | tuple | set | frozenset):
            out[str(name)] = [v if isinstance(v, int | float | str) else str(v) for v in value]
        else:
            out[str(name)] = str(value)
    return out


def alert_dispose(
    *,
    user: User,
    alert: FinancialAlert,
    decision: str,
    reason: str,
    expected_version: int,
    channel: str,
) -> AlertDisposition:
    """Record a decision and its reason; refuse (409) if someone decided since the caller read."""
    _require(user, FinanceAction.DISPOSE)
    if not finance_policy.user_has_permission_for_instance(user, FinanceAction.DISPOSE, alert):
        raise NotFoundError(_("No such alert."))
    problems: dict[str, list[str]] = {}
    if decision not in Decision.values:
        problems["decision"] = [_("Choose not suspicious, escalate or report.")]
    reason = (reason or "").strip()
    if not reason:
        problems["reason"] = [_("Say why: the reason is kept with the decision.")]
    elif len(reason) > REASON_MAX:
        problems["reason"] = [_("Keep the reason under %d characters.") % REASON_MAX]
    if problems:
        raise FieldValidationError(problems)
    with transaction.atomic():
        now = timezone.now()
        bumped = FinancialAlert.objects.filter(pk=alert.pk, version=expected_version).update(
            version=F("version") + 1, status=STATUS_AFTER[decision], updated_at=now
        )
        if not bumped:
            current = FinancialAlert.objects.values_list("version", flat=True).get(pk=alert.pk)
            raise ConflictError(
                _("Someone decided on this alert after you opened it. Reload it, then decide."),
                extra={"current_version": current},
            )
        disposition = AlertDisposition.objects.create(
            alert=alert,
            decision=decision,
            reason=reason,
            decided_by=user,
            decided_at=now,
            alert_version=expected_version + 1,
        )
        audit_record(
            actor=Actor.of(user, channel),
            action=Action.UPDATE,
            object_type="financial_alert",
            object_id=alert.id,
            details={"decision": decision, "version": expected_version + 1},
        )
    alert.refresh_from_db(fields=["version", "status", "updated_at"])
    return disposition


def alert_report(
    *, user: User, alert: FinancialAlert, profile: str = "", channel: str
) -> AlertReport:
    """Generate the report of an alert decided as 'report' (goAML XML, validated; or SAR-style
    fields), keep it, audit it."""
    _require(user, FinanceAction.REPORT)
    if not finance_policy.user_has_permission_for_instance(user, FinanceAction.REPORT, alert):
        raise NotFoundError(_("No such alert."))
    if alert.status != AlertStatus.REPORTED:
        raise ApplicationError(
            _("Decide 'report' on this alert first: only reported alerts become reports."),
            code="not_reported",
        )
    profile_name = profile or DEFAULT_REPORT_PROFILE
    report_format, content, errors = _render(alert=alert, profile_name=profile_name, user=user)
    with transaction.atomic():
        report = AlertReport.objects.create(
            alert=alert,
            report_format=report_format,
            profile=profile_name,
            content=content,
            sha256=hashlib.sha256(content.encode("utf-8")).hexdigest(),
            valid=not errors,
            validation_errors=errors,
            generated_by=user,
        )
        audit_record(
            actor=Actor.of(user, channel),
            action=Action.CREATE,
            object_type="finance_report",
            object_id=report.id,
            details={"alert": str(alert.id), "profile": report.profile, "valid": report.valid},
        )
    return report


# --- reports -----------------------------------------------------------------------------------

DEFAULT_REPORT_PROFILE = "test"


def engine_alert(alert: FinancialAlert) -> Any:
    """The stored alert as the engine's Alert, for the report writers."""
    from safepath.finance.engine import Alert
    from safepath.finance.engine import RuleHit as EngineHit

    return Alert(
        customer_id=alert.customer_id,
        score=alert.score,
        band=alert.band,
        typologies=tuple(alert.typologies),
        period_start=alert.period_start,
        period_end=alert.period_end,
        hits=tuple(
            EngineHit(
                rule_id=hit.rule_id,
                title=hit.title,
                typology=hit.typology,
                weight=hit.weight,
                evidence_txn_ids=tuple(hit.evidence_txn_ids),
                parameters=dict(hit.parameters),
                source=hit.source,
            )
            for hit in alert.hits.all()
        ),
        checklist=tuple(alert.checklist),
    )


def reporting_entity(user: User, alert: FinancialAlert) -> dict[str, Any]:
    """Who reports: the analyst's agency under its goAML registration number, and the analyst.

    ``FINANCE_REPORTING_ENTITY_IDS`` maps an agency code to the number its FIU assigned it;
    without an entry the test number 1 is used (the test profile accepts it).
    """
    agency = user.agency
    code = agency.code if agency else ""
    numbers: dict[str, int] = getattr(settings, "FINANCE_REPORTING_ENTITY_IDS", {})
    return {
        "rentity_id": int(numbers.get(code, 1)),
        "name": agency.name if agency else "",
        "reference": str(alert.id),
        "reporting_person": {
            "first_name": user.first_name or user.username,
            "last_name": user.last_name or user.username,
            "occupation": "Financial analyst",
        },
    }


def _render(*, alert: FinancialAlert, profile_name: str, user: User) -> tuple[str, str, list[str]]:
    """(format, content, schema errors): goAML XML validated against the profile's schema, or
    FinCEN-SAR-style fields as JSON (no schema of ours to check them against)."""
    from safepath.finance import reports

    if profile_name not in reports.shipped_profiles():  # never a path a caller chose
        raise FieldValidationError({"profile": [_("No such report profile.")]})
    transactions = list(alert.evidence_transactions)
    customers = [alert.customer_record]
    try:
        profile = reports.load_profile(profile_name)
        if profile.format == "sar_fields":
            fields = reports.render_sar_fields(
                engine_alert(alert),
                transactions,
                customers,
                profile_name,
                reporting_entity(user, alert),
            )
            return profile.format, json.dumps(fields, indent=2, default=str), []
        if profile.format != "goaml":
            raise reports.ReportError([f"{profile_name}: not a report profile"])
        xml = reports.render_goaml(
            engine_alert(alert),
            transactions,
            customers,
            profile_name,
            reporting_entity(user, alert),
        )
    except reports.ReportError as error:
        raise FieldValidationError({"profile": list(error.errors)}) from None
    try:
        reports.validate_goaml(xml, profile.xsd)
    except reports.ReportError as error:
        return profile.format, xml.decode("utf-8"), [str(e) for e in error.errors]
    return profile.format, xml.decode("utf-8"), []
