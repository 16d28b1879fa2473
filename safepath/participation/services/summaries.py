"""'You said, we did', and the summary for publication.

A summary is an evidence release: the protected tables, the reviewed written answers and the
'you said, we did' rows, frozen when the summary is drafted, then reviewed by the
data-protection officer and published exactly as reviewed (``evidence.services``).
"""

from __future__ import annotations

import uuid
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from safepath.accounts.models import User
from safepath.audit.models import Action, Channel
from safepath.audit.services import audit_record
from safepath.core.exceptions import FieldValidationError, NotFoundError
from safepath.evidence.models import Release
from safepath.evidence.services import release_draft_prepared
from safepath.participation import consultations, results
from safepath.participation.models import ActionStatus, ActionTaken, ConsultationSummary
from safepath.participation.policies import ConsultationAction, consultation_policy
from safepath.participation.selectors import (
    SUMMARY_SOURCE,
    ConsultationResults,
    consultation_for,
    consultation_results,
)
from safepath.participation.services.common import actor_of

MAX_TEXT = 1000


def _check_action(you_said: str, we_did: str, status: str) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    for name, value in (("you_said", you_said), ("we_did", we_did)):
        if not value.strip():
            errors[name] = [_("This field is required.")]
        elif len(value) > MAX_TEXT:
            errors[name] = [_("At most %(n)s characters.") % {"n": MAX_TEXT}]
    if status not in ActionStatus.values:
        errors["status"] = [_("Choose planned, done or not possible.")]
    return errors


@transaction.atomic
def action_record(
    *,
    actor: User,
    consultation_id: uuid.UUID | str,
    you_said: str,
    we_did: str,
    status: str,
    channel: str = Channel.API,
) -> ActionTaken:
    """Write down what children said and, beside it, what was done about it."""
    consultation = consultation_for(
        user=actor, consultation_id=consultation_id, action=ConsultationAction.RECORD_ACTION
    )
    errors = _check_action(you_said, we_did, status)
    if errors:
        raise FieldValidationError(errors)
    action = ActionTaken.objects.create(
        consultation=consultation,
        you_said=you_said.strip(),
        we_did=we_did.strip(),
        status=status,
        recorded_by=actor,
    )
    audit_record(
        actor=actor_of(actor, channel),
        action=Action.CREATE,
        object_type="participation.action",
        object_id=action.id,
        details={"consultation": str(consultation.id), "status": status},
    )
    return action


@transaction.atomic
def action_update(
    *,
    actor: User,
    action_id: uuid.UUID | str,
    we_did: str,
    status: str,
    channel: str = Channel.API,
) -> ActionTaken:
    """Say what happened since: a planned change done, or why it was not possible."""
    visible = consultation_policy.instances_user_has_permission_for(
        actor, ConsultationAction.RECORD_ACTION
    )
    action = (
        ActionTaken.objects.select_for_update()
        .filter(pk=action_id, consultation__in=visible.values("pk"))
        .first()
    )
    if action is None:
        raise NotFoundError(_("No such entry."))
    errors = _check_action(action.you_said, we_did, status)
    if errors:
        raise FieldValidationError(errors)
    before = action.status
    action.we_did = we_did.strip()
    action.status = status
    action.updated_at = timezone.now()
    action.save()
    audit_record(
        actor=actor_of(actor, channel),
        action=Action.UPDATE,
        object_type="participation.action",
        object_id=action.id,
        details={"from": before, "to": status},
    )
    return action


def _label(question: consultations.Question, row: str, language: str) -> str:
    if row == results.SKIPPED:
        return _("Skipped")
    if row == results.ANSWERED:
        return _("Wrote an answer")
    if row == results.TOTAL:
        return results.TOTAL
    return question.option(row).label.get(language)


def _status_text(action: ActionTaken) -> str:
    return f"{action.we_did} ({action.get_status_display()})"


def summary_payload(
    found: ConsultationResults, actions: list[ActionTaken], language: str
) -> dict[str, Any]:
    """The release's table (cells by question and answer, all ages) and its text."""
    table = found.results
    cells: list[dict[str, Any]] = []
    questions: list[dict[str, Any]] = []
    asked: list[str] = []
    for number, item in enumerate(table.questions, start=1):
        question = item.question
        text = question.text.get(language)
        short = f"Q{number}"  # the table's label; the narrative lists what each one asked
        asked.append(f"{short}: {text}")
        rows = []
        for row in item.table.rows:
            cell = item.table.cell(row)
            label = _label(question, row, language)
            cells.append(
                {
                    "question": short,
                    "answer": label,
                    "count": cell.count,
                    "suppressed": cell.suppressed,
                }
            )
            if row != results.TOTAL:
                face = (
                    question.option(row).face
                    if question.has_options and not row.startswith("_")
                    else ""
                )
                rows.append(
                    {
                        "label": label,
                        "count": cell.count,
                        "suppressed": cell.suppressed,
                        "face": face,
                    }
                )
        total = item.table.total
        questions.append(
            {
                "id": question.id,
                "text": text,
                "type": question.type,
                "rows": rows,
                "total": {"count": total.count, "suppressed": total.suppressed},
                "excerpts": found.excerpts.get(question.id, []),
            }
        )
    taking_part = table.taking_part.total
    title = found.instrument.title.get(language)
    said = [[action.you_said, _status_text(action)] for action in actions]
    narrative: list[dict[str, Any]] = [
        {"heading": _("The questions"), "paragraphs": asked},
        {
            "heading": _("Who took part"),
            "paragraphs": [
                _("%(n)s children and young people took part.") % {"n": taking_part.count}
                if not taking_part.suppressed
                else _("Fewer than %(k)s children took part, so no figure is published.")
                % {"k": table.k},
                _("No names were asked. Answers are not linked to any child's case."),
            ],
        },
    ]
    if said:
        narrative.append(
            {
                "heading": _("You said, we did"),
                "paragraphs": [],
                "pair_headings": [_("You said"), _("We did")],
                "pairs": said,
            }
        )
    quotes = [quote for question in questions for quote in question["excerpts"]]
    if quotes:
        narrative.append({"heading": _("In their own words"), "paragraphs": quotes})
    return {
        "metadata": {
            "source": SUMMARY_SOURCE,
            "by": ["question", "answer"],
            "labels": {"question": _("Question"), "answer": _("Answer")},
            "k": table.k,
            "epsilon": None,
            "method": "threshold_and_secondary_suppression",
            "total_code": results.TOTAL,
            "generated_at": timezone.now().isoformat(),
            "language": language,
            "consultation": {
                "id": str(found.consultation.id),
                "instrument": found.instrument.key,
                "title": title,
            },
            "cells": len(cells),
            "suppressed_cells": sum(1 for cell in cells if cell["suppressed"]),
        },
        "cells": cells,
        "narrative": narrative,
        "participation": {
            "title": title,
            "language": language,
            "k": table.k,
            "taking_part": {"count": taking_part.count, "suppressed": taking_part.suppressed},
            "questions": questions,
            "actions": [
                {"you_said": a.you_said, "we_did": a.we_did, "status": a.status} for a in actions
            ],
        },
    }


def methodology(found: ConsultationResults, language: str) -> str:
    instrument = found.instrument
    return "\n".join(
        [
            f"# {instrument.title.get(language)}",
            "",
            f"## {_('What was asked')}",
            "",
            _("Consultation file %(key)s. %(source)s")
            % {"key": instrument.key, "source": instrument.source},
            "",
            f"## {_('How children took part')}",
            "",
            _(
                "Each child agreed to take part (and a parent or carer too where the age and the "
                "national rules require it). Any question could be skipped and a child could stop "
                "at any time; a child who withdrew had every answer erased. No names were asked, "
                "and answers are stored encrypted and are never linked to a case."
            ),
            "",
            f"## {_('Disclosure control')}",
            "",
            _(
                "Every count from 1 to below %(k)s is suppressed, then secondary suppression hides "
                "as many other cells as it takes for the hidden ones not to be worked out from "
                "the totals (SafePath's evidence engine, the rule used for all published "
                "statistics). Zeros are shown, except in a row or column whose total is hidden "
                "(there a zero would tell what every child of a small group answered). Written "
                "answers appear only after a reviewer "
                "removed anything that could identify someone, and only for questions at least "
                "%(k)s children answered."
            )
            % {"k": found.results.k},
        ]
    )


@transaction.atomic
def summary_draft(
    *, actor: User, consultation_id: uuid.UUID | str, channel: str = Channel.API
) -> ConsultationSummary:
    """Freeze the protected results and 'you said, we did' as a draft release for review."""
    consultation = consultation_for(
        user=actor, consultation_id=consultation_id, action=ConsultationAction.SUMMARISE
    )
    language = (get_language() or "en").split("-")[0]
    if language not in consultations.LANGUAGES:
        language = "en"
    found = consultation_results(user=actor, consultation_id=consultation.id, channel=channel)
    actions = list(consultation.actions.all())
    release: Release = release_draft_prepared(
        actor=actor,
        title=_("Consultation summary: %(title)s")
        % {"title": found.instrument.title.get(language)},
        source=SUMMARY_SOURCE,
        by=["question", "answer"],
        k=found.results.k,
        result=summary_payload(found, actions, language),
        methodology=methodology(found, language),
        channel=channel,
    )
    summary = ConsultationSummary.objects.create(
        consultation=consultation, release=release, created_by=actor
    )
    audit_record(
        actor=actor_of(actor, channel),
        action=Action.CREATE,
        object_type="participation.summary",
        object_id=summary.id,
        details={"consultation": str(consultation.id), "release": str(release.id)},
    )
    return summary
