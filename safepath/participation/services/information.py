"""Recording which child-friendly explanation a caseworker gave the child (shown on the case)."""

from __future__ import annotations

import datetime
import uuid

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from safepath.accounts.models import User
from safepath.audit.models import Action, Channel
from safepath.audit.services import audit_record
from safepath.cases.policies import CaseAction
from safepath.cases.selectors import case_for_action
from safepath.core.exceptions import FieldValidationError
from safepath.participation import information
from safepath.participation.models import InformationFormat, InformationGiven
from safepath.participation.services.common import actor_of


@transaction.atomic
def information_record_given(
    *,
    actor: User,
    case_id: uuid.UUID | str,
    topic: str,
    level: str,
    language: str,
    format: str,
    given_on: datetime.date | None = None,
    channel: str = Channel.API,
) -> InformationGiven:
    case = case_for_action(user=actor, case_id=case_id, action=CaseAction.EDIT)
    errors: dict[str, list[str]] = {}
    found = information.catalogue().get(topic)
    if found is None:
        errors["topic"] = [
            _("Choose one of: %(topics)s.") % {"topics": ", ".join(information.catalogue())}
        ]
    if level not in information.LEVELS:
        errors["level"] = [_("Choose younger or older.")]
    if language not in information.LANGUAGES:
        errors["language"] = [_("The language must be one of en, fr, es, ar.")]
    if format not in InformationFormat.values:
        errors["format"] = [_("Choose how it was given: printed, phone or read_together.")]
    given_on = given_on or timezone.localdate()
    if given_on > timezone.localdate():
        errors["given_on"] = [_("This date cannot be in the future.")]
    if errors:
        raise FieldValidationError(errors)
    assert found is not None  # noqa: S101 - checked above
    item = InformationGiven.objects.create(
        case=case,
        topic=topic,
        topic_version=found.version,
        level=level,
        language=language,
        format=format,
        given_on=given_on,
        recorded_by=actor,
    )
    audit_record(
        actor=actor_of(actor, channel),
        action=Action.CREATE,
        object_type="participation.information_given",
        object_id=item.id,
        details={"case": str(case.id), "topic": topic, "level": level, "language": language},
    )
    return item
