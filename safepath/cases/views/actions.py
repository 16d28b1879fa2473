"""The POST end of every case form, and the document download.

Post, redirect, get: a change that succeeds redirects to the section it changed; a refusal shows
the page again with the service's words next to the field (400), a stale version asks to
reload (409), and a role that may read but not do this is told so (403).
"""

from __future__ import annotations

import uuid

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import content_disposition_header
from django.views.decorators.http import require_POST

from safepath.accounts.selectors import signed_in_user
from safepath.audit.models import Action, Channel
from safepath.audit.services import Actor, audit_record
from safepath.cases import documents
from safepath.cases.policies import CaseAction
from safepath.cases.scopes import visible_categories
from safepath.cases.selectors import case_for_action, case_get
from safepath.cases.services import TransitionRefusedError
from safepath.cases.views.pages import render_case_page
from safepath.cases.views.registry import ACTIONS
from safepath.cases.vocabulary import DataCategory
from safepath.core.exceptions import (
    ConflictError,
    FieldValidationError,
    NotFoundError,
    PermissionDeniedError,
)


@login_required
@require_POST
def case_action(
    request: HttpRequest, case_id: uuid.UUID, action: str, target_id: uuid.UUID | None = None
) -> HttpResponse:
    spec = ACTIONS.get(action)
    if spec is None or (spec.target is None) != (target_id is None):
        raise Http404
    user = signed_in_user(request)
    try:
        # Not audited as a read: nothing is shown unless the page is drawn again (then it is).
        case = case_for_action(user=user, case_id=case_id, action=CaseAction.VIEW)
    except NotFoundError:
        raise Http404 from None
    item = spec.target(case, target_id) if spec.target and target_id else None
    form = spec.make(case, user, request.POST, request.FILES, action)
    status = 400
    if form.is_valid():
        try:
            spec.run(user, case, form, item)
        except TransitionRefusedError as refused:
            for refusal in refused.refusals:
                form.add_error(None, str(refusal))
        except FieldValidationError as invalid:
            for name, problems in invalid.fields.items():
                for problem in problems:
                    form.add_error(name if name in form.fields else None, problem)
        except ConflictError as conflict:
            form.add_error(None, conflict.message)
            status = 409
        except PermissionDeniedError as denied:
            form.add_error(None, denied.message)
            status = 403
        else:
            messages.success(request, str(spec.done))
            return redirect(f"{reverse(f'cases:{spec.page}', args=[case.id])}#{spec.anchor}")
    case = case_get(user=user, case_id=case.id, channel=Channel.WEB)
    if spec.target is not None:
        # Item buttons have no form of their own on the page: their errors go to the top.
        problems = [str(e) for errors in form.errors.values() for e in errors]
        return render_case_page(request, case, spec.page, errors=problems, status=status)
    return render_case_page(request, case, spec.page, bound={action: form}, status=status)


@login_required
def document_download(
    request: HttpRequest, case_id: uuid.UUID, document_id: uuid.UUID
) -> HttpResponse:
    """The decrypted file, as an attachment (never shown inline), audited as a read."""
    user = signed_in_user(request)
    try:
        case = case_get(user=user, case_id=case_id, channel=Channel.WEB)
    except NotFoundError:
        raise Http404 from None
    document = case.documents.filter(pk=document_id).first()
    if document is None or DataCategory.NOTES not in visible_categories(user, case):
        raise Http404
    content = documents.load(document.id, document.sha256)
    audit_record(
        actor=Actor.of(user, Channel.WEB),
        action=Action.READ,
        object_type="case_document",
        object_id=document.id,
        details={"case": str(case.id)},
    )
    response = HttpResponse(content, content_type=document.content_type)
    response["Content-Disposition"] = content_disposition_header(
        as_attachment=True, filename=document.filename
    )
    response["Cache-Control"] = "no-store"
    return response
