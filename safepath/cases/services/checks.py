"""The checks every case service starts with: may this user do this, and is a date not ahead."""

from __future__ import annotations

import datetime

from django.utils import timezone
from django.utils.translation import gettext as _

from safepath.accounts.models import User
from safepath.cases.models import Case
from safepath.cases.policies import CaseAction, case_policy
from safepath.core.exceptions import FieldValidationError, PermissionDeniedError


def require(user: User, action: CaseAction, case: Case, message: str) -> None:
    """The one permission gate of the case services."""
    if not case_policy.user_has_permission_for_instance(user, action, case):
        raise PermissionDeniedError(message)


def refuse_future_date(day: datetime.date, name: str) -> None:
    if day > timezone.localdate():
        raise FieldValidationError({name: [_("This date cannot be in the future.")]})
