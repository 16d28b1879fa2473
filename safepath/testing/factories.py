"""factory_boy factories for tests. Every value is synthetic."""

from __future__ import annotations

import datetime
from typing import Any

import factory
from django.utils import timezone

from safepath.accounts.models import Agency, User
from safepath.accounts.roles import AgencyType, Role
from safepath.audit.models import Channel
from safepath.cases.models import Case
from safepath.cases.services import CaseInput, ChildInput, case_register

PASSWORD = "correct-horse-battery-staple"  # noqa: S105 - test-only


class AgencyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Agency

    name = factory.Sequence(lambda n: f"Test agency {n}")
    code = factory.Sequence(lambda n: f"agency-{n}")
    agency_type = AgencyType.CHILD_PROTECTION
    country = "KE"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    role = Role.CASEWORKER
    agency = factory.SubFactory(AgencyFactory)
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @classmethod
    def _after_postgeneration(cls, instance: User, create: bool, results: Any = None) -> None:
        if create:
            instance.save()


def register_case(user: User, **overrides: Any) -> Case:
    """A case registered through the real service, as a caseworker would."""
    child = ChildInput(
        given_name=overrides.pop("given_name", "Amina"),
        family_name=overrides.pop("family_name", "Testchild"),
        sex=overrides.pop("sex", "female"),
        date_of_birth=overrides.pop("date_of_birth", datetime.date(2012, 5, 17)),
        nationality=overrides.pop("nationality", "KE"),
        other_names=overrides.pop("other_names", []),
    )
    case = CaseInput(
        identified_on=overrides.pop("identified_on", timezone.localdate()),
        forms_of_exploitation=overrides.pop("forms_of_exploitation", ["forced_labour"]),
        summary=overrides.pop("summary", "Synthetic summary for tests."),
    )
    assert not overrides, f"unknown overrides {overrides}"
    return case_register(user=user, child=child, case=case, channel=Channel.API)
