"""Synthetic duplicate candidates for the demo: the same invented child registered twice.

``load_demo()`` registers a few synthetic children through the cases service (one of them in
Arabic script, one at the NGO) and proposes the pairs a run would find, scored with the
tracing comparison so the explanation is real. It runs once: a fixed run id marks it done.
"""

from __future__ import annotations

import datetime
import uuid

from django.db import transaction
from django.utils import timezone

from safepath.accounts.models import User
from safepath.audit.models import Channel
from safepath.cases.models import Case
from safepath.cases.services import CaseInput, ChildInput, case_register, consent_record
from safepath.cases.vocabulary import ConsentPurpose
from safepath.linkage.models import MatchRun, RunScope, RunStatus
from safepath.linkage.records import case_records, tracing_compare
from safepath.linkage.services import ScoredPair, candidate_pairs_store

DEMO_RUN_ID = uuid.UUID("5afe0a7e-0000-4000-8000-00000000de00")

# (key, registering user, given name, family name, sex, date of birth, nationality)
CHILDREN = (
    ("amina_a", "caseworker.a", "Amina", "Yusuf", "female", datetime.date(2012, 5, 17), "SO"),
    ("amina_ar", "caseworker.a", "أمينة", "يوسف", "female", datetime.date(2012, 5, 17), "SO"),
    ("amina_b", "caseworker.b", "Aminah", "Yusuf", "female", datetime.date(2012, 5, 17), "SO"),
    ("baraka_a", "caseworker.a", "Baraka", "Otieno", "male", datetime.date(2009, 2, 3), "KE"),
    ("baraka_ru", "caseworker.a", "Барака", "Отиено", "male", datetime.date(2009, 2, 3), "KE"),
)
PAIRS = (("amina_a", "amina_ar"), ("amina_a", "amina_b"), ("baraka_a", "baraka_ru"))


@transaction.atomic
def load_demo() -> int:
    """Create the demo's candidate pairs once; returns how many pairs were added (0 if done)."""
    if MatchRun.objects.filter(pk=DEMO_RUN_ID).exists():
        return 0
    users = {user.username: user for user in User.objects.filter(username__in=_usernames())}
    if set(users) != _usernames():
        return 0  # the demo accounts come first (the demo loader creates them)
    cases = {
        key: _register(users[username], given, family, sex, born, nationality)
        for key, username, given, family, sex, born, nationality in CHILDREN
    }
    for key in ("amina_a", "baraka_a"):  # these children consented to family tracing
        _consent_to_tracing(users["caseworker.a"], cases[key])
    records = {
        str(row["record_id"]): {str(k): v for k, v in row.items()}
        for row in case_records(Case.objects.filter(pk__in=[c.pk for c in cases.values()])).to_dict(
            orient="records"
        )
    }
    scored = []
    for first, second in PAIRS:
        one, other = str(cases[first].pk), str(cases[second].pk)
        probability, evidence = tracing_compare(records[one], records[other])
        scored.append(ScoredPair(one, other, probability, evidence))
    run = MatchRun.objects.create(
        pk=DEMO_RUN_ID,
        scope=RunScope.NATIONAL,
        threshold=0.5,
        status=RunStatus.FINISHED,
        record_count=len(records),
        finished_at=timezone.now(),
    )
    run.pair_count = candidate_pairs_store(run=run, pairs=scored)
    run.save(update_fields=["pair_count"])
    return run.pair_count


def _usernames() -> set[str]:
    return {child[1] for child in CHILDREN}


def _register(
    user: User,
    given_name: str,
    family_name: str,
    sex: str,
    born: datetime.date,
    nationality: str,
) -> Case:
    return case_register(
        user=user,
        child=ChildInput(
            given_name=given_name,
            family_name=family_name,
            sex=sex,
            date_of_birth=born,
            nationality=nationality,
        ),
        case=CaseInput(
            identified_on=timezone.localdate() - datetime.timedelta(days=30),
            summary="Synthetic demo child registered twice, for the duplicate review.",
        ),
        channel=Channel.CLI,
    )


def _consent_to_tracing(user: User, case: Case) -> None:
    consent_record(
        user=user,
        case=case,
        given_by="child",
        purpose=ConsentPurpose.TRACING,
        data_scope="identity",
        recipient_agency=case.owner_agency,
        given_on=timezone.localdate(),
        expires_on=None,
        channel=Channel.CLI,
    )
