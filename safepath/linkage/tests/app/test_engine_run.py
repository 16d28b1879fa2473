"""A deduplication run with the real engine over cases registered through the cases service."""

from __future__ import annotations

import datetime
import random
from typing import Any

import pytest
from faker import Faker

from safepath.accounts.models import User
from safepath.linkage.models import CandidatePair, MatchRun
from safepath.linkage.services import pairs as pairs_module
from safepath.testing.factories import register_case
from safepath.testing.fixtures import api_client_for

pytestmark = [pytest.mark.django_db, pytest.mark.slow]


def test_the_engine_proposes_the_duplicates_and_explains_them(
    supervisor_a: User,
    caseworker_a: User,
    django_capture_on_commit_callbacks: Any,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(pairs_module, "SPLINK_MINIMUM_RECORDS", 40)  # Splink trains on 45
    fake, rng = Faker(), random.Random(11)
    Faker.seed(11)
    truth = set()
    for index in range(30):
        given, family = fake.first_name(), fake.last_name()
        born = datetime.date(2008, 1, 1) + datetime.timedelta(days=rng.randrange(3000))
        sex = rng.choice(["female", "male"])
        first = register_case(
            caseworker_a, given_name=given, family_name=family, sex=sex, date_of_birth=born
        )
        if index % 2 == 0:  # registered again, the given name misspelt
            second = register_case(
                caseworker_a,
                given_name=given[:-1] + "y",
                family_name=family,
                sex=sex,
                date_of_birth=born,
            )
            truth.add(frozenset({first.id, second.id}))

    with django_capture_on_commit_callbacks(execute=True):
        response = api_client_for(supervisor_a).post(
            "/api/v1/linkage/runs/", {"threshold": 0.9}, format="json"
        )

    assert response.status_code == 202
    run = MatchRun.objects.get()
    assert (run.status, run.record_count) == ("finished", 45)
    proposed = {frozenset({p.case_1_id, p.case_2_id}) for p in CandidatePair.objects.all()}
    true_found = len(proposed & truth)
    assert true_found >= 0.9 * len(truth)
    assert true_found >= 0.9 * len(proposed)
    evidence = CandidatePair.objects.order_by("-match_probability").first().evidence
    assert {"family_name", "date_of_birth"} <= {item["field"] for item in evidence}
    assert all(
        set(item) == {"field", "level", "bayes_factor", "log2_bayes_factor"} for item in evidence
    )
