"""Written answers: a reviewer removes what could identify someone, then approves or leaves out.

The child's original words are erased when the review is done: what remains is the reviewed
text (approved) or nothing (left out). Only approved text can ever appear in results.
"""

from __future__ import annotations

import uuid

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from safepath.accounts.models import User
from safepath.audit.models import Action, Channel
from safepath.audit.services import audit_record
from safepath.core.exceptions import ApplicationError, FieldValidationError, NotFoundError
from safepath.participation.models import Answer, ReviewStatus
from safepath.participation.policies import ConsultationAction, consultation_policy
from safepath.participation.services.common import actor_of

MAX_REVIEWED = 2000


@transaction.atomic
def answer_review(
    *,
    actor: User,
    answer_id: uuid.UUID | str,
    approve: bool,
    text: str = "",
    channel: str = Channel.API,
) -> Answer:
    consultations = consultation_policy.instances_user_has_permission_for(
        actor, ConsultationAction.REVIEW_TEXT
    )
    answer = (
        Answer.objects.select_for_update(of=("self",))
        .select_related("participant")
        .filter(pk=answer_id, participant__consultation__in=consultations.values("pk"))
        .first()
    )
    if answer is None:
        raise NotFoundError(_("No such written answer to review."))
    if answer.review_status != ReviewStatus.PENDING:
        raise ApplicationError(_("This answer has already been reviewed."), code="reviewed")
    text = (text or "").strip()
    if approve and not text:
        raise FieldValidationError(
            {"text": [_("Write the answer as it may be shown, or leave it out.")]}
        )
    if len(text) > MAX_REVIEWED:
        raise FieldValidationError({"text": [_("At most %(n)s characters.") % {"n": MAX_REVIEWED}]})
    answer.review_status = ReviewStatus.APPROVED if approve else ReviewStatus.EXCLUDED
    answer.reviewed_text = text if approve else ""
    answer.value = None  # the original words are not kept once reviewed
    answer.reviewed_by = actor
    answer.reviewed_on = timezone.localdate()
    answer.save()
    audit_record(
        actor=actor_of(actor, channel),
        action=Action.UPDATE,
        object_type="participation.answer",
        object_id=answer.id,
        details={"review": answer.review_status, "question": answer.question_id},
    )
    return answer
