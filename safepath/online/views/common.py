"""What the online pages share: 404 for what the caller may not see, errors onto forms."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django import forms
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse

from safepath.core.exceptions import FieldValidationError, NotFoundError, PermissionDeniedError

View = Callable[..., HttpResponse]


def online_page(view: View) -> View:
    """Signed in; a record (or the area) the user may not see is a plain 404, an action the
    user sees but may not take is 403."""

    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        try:
            return view(request, *args, **kwargs)
        except NotFoundError:
            raise Http404 from None
        except PermissionDeniedError:
            raise PermissionDenied from None

    return login_required(wrapped)


def errors_onto(form: forms.Form, error: FieldValidationError) -> None:
    for name, problems in error.fields.items():
        for problem in problems:
            form.add_error(name if name in form.fields else None, problem)
