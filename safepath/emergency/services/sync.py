"""Sync: a device's operations, applied in order, each once, never overwriting a word silently.

A batch is ``{"device_id", "ops": [...]}``; each op carries a client-made ``op_id`` (its
idempotency key) and the ``record_id`` the device gave the record:

* ``create``: ``values`` (the whole form), optional ``photo`` (``{"content_type", "data"}``,
  base64) and ``form_version``;
* ``update``: ``base_version`` (the case version the device last had), ``base`` (the values
  it had then, for the fields it changed) and ``changes``;
* ``resolve``: an update after a conflict, with ``resolutions``: for each field, the value on
  the device, the value on the server, and which the caseworker chose. Both are kept.
* ``screening``: an interview run offline (``instrument``, ``interview_id``, ``submission``).

Each op is its own transaction and answers with an HTTP-like ``status``: 201 created, 200
applied, 208 already applied (a replay: the stored answer, nothing written again), 409 conflict
(with ``current_version``, the server's values and every conflicting field), 400 or 404 refused
(with ``code`` and ``fields``), 424 not tried because an earlier op on the same record did not
go through. A field changed on the device and on the server to different values is a conflict;
a field only one side changed is merged.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import json
import uuid
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from safepath.accounts.models import User
from safepath.audit.models import Channel
from safepath.cases.services.versioning import change_record
from safepath.core.exceptions import ApplicationError, FieldValidationError
from safepath.emergency import fieldform
from safepath.emergency.messages import problem_fields
from safepath.emergency.models import (
    ConflictChoice,
    Registration,
    RegistrationSource,
    SyncConflict,
    SyncReceipt,
)
from safepath.emergency.policies import EmergencyAction, emergency_policy
from safepath.emergency.services.registration import (
    registration_create,
    registration_update,
    registration_values,
    today,
)

KINDS = ("create", "update", "resolve", "screening")
MAX_OPS = 200
CREATED, APPLIED, REPLAYED = 201, 200, 208
REFUSED, NOT_FOUND, CONFLICT, BLOCKED = 400, 404, 409, 424


class BatchError(ApplicationError):
    """The batch itself cannot be read: nothing in it was tried."""

    code = "bad_batch"


@dataclass
class OpResult:
    op_id: str
    record_id: str
    status: int
    code: str = ""
    detail: str = ""
    body: dict[str, Any] = field(default_factory=dict)

    def as_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"op_id": self.op_id, "record_id": self.record_id}
        out["status"] = self.status
        if self.code:
            out["code"] = self.code
        if self.detail:
            out["detail"] = self.detail
        out.update(self.body)
        return out


class _RefusedError(Exception):
    def __init__(self, status: int, code: str, detail: str, body: dict[str, Any] | None = None):
        super().__init__(detail)
        self.status, self.code, self.detail, self.body = status, code, detail, body or {}


def payload_hash(op: dict[str, Any]) -> str:
    text = json.dumps(op, sort_keys=True, ensure_ascii=False, separators=(",", ":"), default=str)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _uuid(value: Any, name: str) -> uuid.UUID:
    try:
        return uuid.UUID(str(value))
    except (TypeError, ValueError):
        raise _RefusedError(
            REFUSED, "invalid", _("Not a valid id."), {"fields": {name: [_("Give a UUID.")]}}
        ) from None


def _mapping(op: dict[str, Any], name: str) -> dict[str, Any]:
    value = op.get(name, {})
    if not isinstance(value, dict):
        raise _RefusedError(
            REFUSED,
            "invalid",
            _("Some fields are not valid."),
            {"fields": {name: [_("Give an object.")]}},
        )
    return value


def _clean(raw: dict[str, Any], *, partial: bool) -> dict[str, Any]:
    values, problems = fieldform.clean_values(
        fieldform.definition(), raw, today=today(), partial=partial
    )
    if problems:
        fields = problem_fields(problems)
        raise _RefusedError(
            REFUSED,
            "invalid",
            _("Some fields are not valid: %(names)s.") % {"names": ", ".join(sorted(fields))},
            {"fields": fields},
        )
    return values


def _registration(user: User, record_id: uuid.UUID) -> Registration:
    registration = (
        emergency_policy.instances_user_has_permission_for(user, EmergencyAction.VIEW)
        .select_related("case", "case__child")
        .filter(record_id=record_id)
        .first()
    )
    if registration is None:
        raise _RefusedError(NOT_FOUND, "not_found", _("No such record on the server."))
    if not emergency_policy.user_has_permission_for_instance(
        user, EmergencyAction.EDIT, registration
    ):
        raise _RefusedError(
            403, "permission_denied", _("You may read this record but not change it.")
        )
    return registration


def _photo(op: dict[str, Any]) -> bytes | None:
    photo = op.get("photo")
    if photo in (None, ""):
        return None
    if not isinstance(photo, dict) or not isinstance(photo.get("data"), str):
        raise _RefusedError(
            REFUSED,
            "invalid",
            _("The photograph could not be read."),
            {"fields": {"photo": [_("Send the photograph as base64 data.")]}},
        )
    try:
        return base64.b64decode(photo["data"], validate=True)
    except (binascii.Error, ValueError):
        raise _RefusedError(
            REFUSED,
            "invalid",
            _("The photograph could not be read."),
            {"fields": {"photo": [_("Send the photograph as base64 data.")]}},
        ) from None


def _applied(status: int, registration: Registration, **extra: Any) -> dict[str, Any]:
    case = registration.case
    return {
        "status": status,
        "case_id": str(case.id),
        "reference": case.reference,
        "version": case.version,
        **extra,
    }


def _create(user: User, op: dict[str, Any], record_id: uuid.UUID, device_id: str) -> dict[str, Any]:
    existing = Registration.objects.select_related("case").filter(record_id=record_id).first()
    if existing is not None:
        if existing.registered_by_id != user.id:
            raise _RefusedError(REFUSED, "record_id_taken", _("Another user's record has this id."))
        return _applied(REPLAYED, existing, replayed=True)
    version = str(op.get("form_version") or fieldform.definition().version)
    if version not in fieldform.definition().accepted_versions:
        raise _RefusedError(
            REFUSED,
            "unknown_form_version",
            _("Form version %(v)s is not known here; update the app.") % {"v": version[:20]},
            {"fields": {"form_version": [_("Unknown form version.")]}},
        )
    values = _clean(_mapping(op, "values"), partial=False)
    photo = _photo(op)
    if photo is not None and not fieldform.photo_allowed(values):
        raise _RefusedError(
            REFUSED,
            "invalid",
            _("A photograph needs consent."),
            {"fields": {"photo": [_("A photograph is kept only with consent.")]}},
        )
    registration = registration_create(
        user=user,
        record_id=record_id,
        values=values,
        channel=Channel.API,
        source=RegistrationSource.DEVICE,
        form_version=version,
        device_id=device_id,
        photo=photo,
    )
    return _applied(CREATED, registration)


def _conflicts(
    current: dict[str, Any], base: dict[str, Any], changes: dict[str, Any]
) -> list[dict[str, Any]]:
    """Fields the device changed that the server also changed, to another value."""
    found = []
    for name, mine in changes.items():
        theirs = current.get(name)
        if fieldform.comparable(theirs) == fieldform.comparable(mine):
            continue  # both sides agree already
        if name in base and fieldform.comparable(base[name]) == fieldform.comparable(theirs):
            continue  # only the device changed it: merge
        found.append(
            {
                "field": name,
                "base_value": base.get(name),
                "device_value": mine,
                "server_value": theirs,
            }
        )
    return found


def _update(user: User, op: dict[str, Any], record_id: uuid.UUID, device_id: str) -> dict[str, Any]:
    registration = _registration(user, record_id)
    current_version = registration.case.version
    base_version = op.get("base_version")
    if (
        isinstance(base_version, bool)
        or not isinstance(base_version, int)
        or not 1 <= base_version <= current_version
    ):
        raise _RefusedError(
            REFUSED,
            "unknown_base_version",
            _("This record never had version %(v)s on the server; it has versions 1 to %(n)s.")
            % {"v": str(base_version)[:12], "n": current_version},
            {
                "fields": {"base_version": [_("Unknown version.")]},
                "current_version": current_version,
            },
        )
    changes = _clean(_mapping(op, "changes"), partial=True)
    base = _mapping(op, "base")
    resolutions = _resolutions(op, changes) if op.get("kind") == "resolve" else []
    current = registration_values(registration)
    if base_version != current_version:
        conflicts = _conflicts(current, base, changes)
        if conflicts:
            raise _RefusedError(
                CONFLICT,
                "conflict",
                _(
                    "Someone else changed this record since this device last had it; "
                    "choose, field by field, which value to keep."
                ),
                {
                    "current_version": current_version,
                    "conflicts": conflicts,
                    "server_values": current,
                },
            )
    case = registration_update(
        user=user,
        registration=registration,
        expected_version=current_version,
        changes=changes,
        channel=Channel.API,
        kind="emergency_sync" if base_version == current_version else "emergency_sync_merged",
    )
    if resolutions:
        _keep_both(user, registration, resolutions, base_version, case.version, device_id)
    registration.case = case
    return _applied(APPLIED, registration, merged=base_version != current_version)


def _resolutions(op: dict[str, Any], changes: dict[str, Any]) -> list[dict[str, Any]]:
    raw = op.get("resolutions")
    names = set(fieldform.definition().data_names)
    if not isinstance(raw, list) or not raw:
        raise _RefusedError(
            REFUSED,
            "invalid",
            _("A resolution names each field chosen."),
            {"fields": {"resolutions": [_("Give at least one resolution.")]}},
        )
    clean = []
    for number, item in enumerate(raw):
        where = f"resolutions[{number}]"
        if not isinstance(item, dict) or item.get("field") not in names:
            raise _RefusedError(
                REFUSED,
                "invalid",
                _("Some fields are not valid."),
                {"fields": {where: [_("Name a field of the form.")]}},
            )
        if item.get("chosen") not in ConflictChoice.values:
            raise _RefusedError(
                REFUSED,
                "invalid",
                _("Some fields are not valid."),
                {"fields": {where: [_("Choose device or server.")]}},
            )
        if item["chosen"] == ConflictChoice.DEVICE and item["field"] not in changes:
            raise _RefusedError(
                REFUSED,
                "invalid",
                _("Some fields are not valid."),
                {
                    "fields": {
                        where: [_("The value chosen from the device must be among the changes.")]
                    }
                },
            )
        clean.append(item)
    return clean


def _keep_both(
    user: User,
    registration: Registration,
    resolutions: Iterable[dict[str, Any]],
    base_version: int,
    resolved_version: int,
    device_id: str,
) -> None:
    """Both values of every resolved field, in the conflict log and in the case's history."""
    rows = [
        SyncConflict(
            registration=registration,
            field=item["field"],
            server_value=item.get("server_value"),
            device_value=item.get("device_value"),
            chosen=item["chosen"],
            base_version=base_version,
            resolved_version=resolved_version,
            resolved_by=user,
            device_id=device_id[:64],
        )
        for item in resolutions
    ]
    for row in rows:
        row.save(force_insert=True)
    change_record(
        case=registration.case,
        user=user,
        kind="emergency_conflict_resolved",
        before={row.field: row.server_value for row in rows},
        after={row.field: row.device_value for row in rows},
    )


def _screening(user: User, op: dict[str, Any], record_id: uuid.UUID) -> dict[str, Any]:
    from safepath.screening.services import screening_record

    registration = _registration(user, record_id)
    screening = _mapping(op, "screening")
    interview = _uuid(screening.get("interview_id"), "screening.interview_id")
    submission = screening.get("submission")
    record = screening_record(
        user=user,
        instrument_id=str(screening.get("instrument", "")),
        submission=submission if isinstance(submission, dict) else {},
        case=registration.case,
        channel=Channel.API,
        interview_id=interview,
    )
    return {
        "status": CREATED,
        "case_id": str(registration.case_id),
        "screening_id": str(record.id),
        "outcome": record.outcome,
        "version": registration.case.version,
    }


def _apply(user: User, op: dict[str, Any], device_id: str) -> dict[str, Any]:
    kind = op.get("kind")
    record_id = _uuid(op.get("record_id"), "record_id")
    if kind == "create":
        return _create(user, op, record_id, device_id)
    if kind in ("update", "resolve"):
        return _update(user, op, record_id, device_id)
    return _screening(user, op, record_id)


def _one(user: User, op: Any, device_id: str) -> OpResult:
    if not isinstance(op, dict):
        return OpResult("", "", REFUSED, "invalid", _("Each operation is an object."))
    op_id_text, record_text = str(op.get("op_id", ""))[:64], str(op.get("record_id", ""))[:64]
    try:
        op_id = _uuid(op.get("op_id"), "op_id")
        if op.get("kind") not in KINDS:
            raise _RefusedError(
                REFUSED,
                "invalid",
                _("Unknown kind of operation."),
                {"fields": {"kind": [_("One of: %(k)s.") % {"k": ", ".join(KINDS)}]}},
            )
        digest = payload_hash(op)
        receipt = SyncReceipt.objects.filter(op_id=op_id).first()
        if receipt is not None:
            if receipt.user_id != user.id or receipt.payload_hash != digest:
                raise _RefusedError(
                    REFUSED,
                    "op_id_reused",
                    _("This operation id was already used for another operation."),
                )
            return OpResult(
                op_id_text,
                record_text,
                REPLAYED,
                body={**receipt.result, "status": REPLAYED, "replayed": True},
            )
        with transaction.atomic():
            body = _apply(user, op, device_id)
            SyncReceipt.objects.create(
                op_id=op_id,
                user=user,
                device_id=device_id[:64],
                record_id=_uuid(op.get("record_id"), "record_id"),
                kind=str(op["kind"]),
                payload_hash=digest,
                result=body,
            )
        status = int(body.pop("status"))
        return OpResult(op_id_text, record_text, status, body=body)
    except _RefusedError as refusal:
        return OpResult(
            op_id_text, record_text, refusal.status, refusal.code, refusal.detail, refusal.body
        )
    except FieldValidationError as error:
        return OpResult(
            op_id_text, record_text, REFUSED, error.code, error.message, {"fields": error.fields}
        )
    except ApplicationError as error:
        return OpResult(
            op_id_text,
            record_text,
            error.http_status,
            error.code,
            error.message,
            {k: v for k, v in error.extra.items() if k != "changes_since"},
        )
    except IntegrityError:
        # the same op sent twice at the same moment: the other request stored it; answer as it did
        receipt = SyncReceipt.objects.filter(op_id=op_id_text).first() if op_id_text else None
        if receipt is not None:
            return OpResult(
                op_id_text,
                record_text,
                REPLAYED,
                body={**receipt.result, "status": REPLAYED, "replayed": True},
            )
        raise


@dataclass
class SyncOutcome:
    results: list[OpResult]
    created_case_ids: list[str]


def sync_batch(*, user: User, batch: Any) -> SyncOutcome:
    """Apply a device's batch in order. An op on a record whose earlier op in this batch did not
    go through is not tried (424): order within a record is kept, other records go on."""
    if not emergency_policy.user_has_permission(user, EmergencyAction.REGISTER):
        raise ApplicationError(_("Your role does not register children."), code="permission_denied")
    if not isinstance(batch, dict) or not isinstance(batch.get("ops"), list):
        raise BatchError(_('Send {"device_id": ..., "ops": [...]}.'))
    device_id = str(batch.get("device_id") or "")[:64]
    ops = batch["ops"]
    if len(ops) > MAX_OPS:
        raise BatchError(_("Send at most %(n)s operations at a time.") % {"n": MAX_OPS})
    results: list[OpResult] = []
    stopped: set[str] = set()
    created: list[str] = []
    for op in ops:
        record = str(op.get("record_id", "")) if isinstance(op, dict) else ""
        if record and record in stopped:
            results.append(
                OpResult(
                    str(op.get("op_id", "")),
                    record,
                    BLOCKED,
                    "blocked",
                    _("Not tried: an earlier change to this record did not go through."),
                )
            )
            continue
        result = _one(user, op, device_id)
        if result.status >= 400 and record:
            stopped.add(record)
        if result.status == CREATED and result.body.get("case_id") and op.get("kind") == "create":
            created.append(str(result.body["case_id"]))
        results.append(result)
    return SyncOutcome(results=results, created_case_ids=created)
