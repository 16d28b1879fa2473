"""Consultations through the API: create, enter paper answers (an unknown question refuses the
whole set), results as protected aggregates, the review of written answers, 'you said, we did',
and the summary through the evidence release review to its published page."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client
from rest_framework.test import APIClient

from safepath.accounts.models import User
from safepath.evidence.models import Release, ReleaseStatus
from safepath.participation.models import Answer, Consultation, Participant, ReviewStatus
from safepath.participation.tests.conftest import submit

pytestmark = pytest.mark.django_db
BASE = "/api/v1/participation"


def test_files_and_create(facilitator: User, api_as: Callable[..., APIClient]) -> None:
    api = api_as(facilitator)
    files = api.get(f"{BASE}/consultation-files/").json()
    assert {f["id"] for f in files} == {"services-experience", "feeling-safe-young"}
    made = api.post(
        f"{BASE}/consultations/",
        {"instrument": "feeling-safe-young", "title": "Lyon, May"},
        format="json",
    )
    assert made.status_code == 201
    assert made.json()["instrument_version"] == "2026.1"
    bad = api.post(f"{BASE}/consultations/", {"instrument": "no-such-file"}, format="json")
    assert bad.status_code == 400
    assert bad.json()["fields"] == {"instrument": ["There is no consultation file no-such-file."]}
    assert Consultation.objects.count() == 1


def test_a_submission_with_an_unknown_question_stores_nothing(
    facilitator: User, consultation: Consultation, api_as: Callable[..., APIClient]
) -> None:
    api = api_as(facilitator)
    url = f"{BASE}/consultations/{consultation.id}/submissions/"
    payload: dict[str, Any] = {
        "age_band": "16-17",
        "language": "fr",
        "assent": True,
        "answers": {"felt_safe": "very", "q99": "yes", "listened": "maybe"},
    }
    refused = api.post(url, payload, format="json")
    assert refused.status_code == 400
    body = refused.json()
    assert body["code"] == "invalid"
    assert set(body["fields"]) == {"answers.q99", "answers.listened"}
    assert "has no question 'q99'" in body["fields"]["answers.q99"][0]
    assert (Participant.objects.count(), Answer.objects.count()) == (0, 0)
    no_assent = api.post(url, {**payload, "assent": False, "answers": {}}, format="json")
    assert no_assent.json()["fields"]["assent"]
    young = api.post(url, {**payload, "age_band": "12-15", "answers": {}}, format="json")
    assert young.json()["fields"] == {
        "caregiver_consent": ["At this age a parent or carer must agree too."]
    }
    ok = api.post(
        url,
        {
            **payload,
            "answers": {"felt_safe": "very", "listened": "no", "listen_better": "More time"},
        },
        format="json",
    )
    assert ok.status_code == 201
    assert ok.json()["answers"] == 7  # every question asked is stored, the unanswered as skipped


def test_results_are_aggregates_with_suppression(
    facilitator: User, consultation: Consultation, api_as: Callable[..., APIClient]
) -> None:
    for number in range(13):
        submit(
            facilitator,
            consultation,
            {"felt_safe": "very" if number < 11 else "quite", "one_change": f"Idea {number}"},
        )
    body = api_as(facilitator).get(f"{BASE}/consultations/{consultation.id}/results/").json()
    assert body["k"] == 11
    assert body["taking_part"]["cells"][-1] == {
        "row": "_T",
        "column": "_T",
        "count": 13,
        "suppressed": False,
    }
    felt = next(q for q in body["questions"] if q["id"] == "felt_safe")
    cells = {(c["row"], c["column"]): c for c in felt["table"]["cells"]}
    assert cells[("quite", "_T")] == {
        "row": "quite",
        "column": "_T",
        "count": None,
        "suppressed": True,
    }
    assert cells[("not_at_all", "_T")]["count"] == 0
    assert body["waiting_for_review"] == 13
    one_change = next(q for q in body["questions"] if q["id"] == "one_change")
    assert one_change["excerpts"] == []  # nothing reviewed yet: no written answer is shown


def test_review_then_excerpts_only_where_eleven_answered(
    facilitator: User, dpo: User, consultation: Consultation, api_as: Callable[..., APIClient]
) -> None:
    for number in range(12):
        submit(facilitator, consultation, {"one_change": f"My worker Joseph {number}"})
    submit(
        facilitator,
        consultation,
        {"listened": "no", "listen_better": "Listen to Amina", "one_change": "Joseph"},
    )
    reviewer = api_as(dpo)
    pending = reviewer.get(f"{BASE}/consultations/{consultation.id}/written-answers/").json()
    assert len(pending) == 14
    for item in pending:
        decision = {
            "decision": "approve",
            "text": item["text"].replace("Joseph", "[name]").replace("Amina", "[name]"),
        }
        assert (
            reviewer.post(
                f"{BASE}/written-answers/{item['id']}/review/", decision, format="json"
            ).status_code
            == 200
        )
    assert not Answer.objects.filter(
        value__isnull=False, review_status=ReviewStatus.APPROVED
    ).exists()
    again = reviewer.post(
        f"{BASE}/written-answers/{pending[0]['id']}/review/", {"decision": "exclude"}, format="json"
    )
    assert again.status_code == 400
    assert again.json()["code"] == "reviewed"
    body = api_as(facilitator).get(f"{BASE}/consultations/{consultation.id}/results/").json()
    excerpts = {q["id"]: q["excerpts"] for q in body["questions"]}
    assert len(excerpts["one_change"]) == 13
    assert all("Joseph" not in text for text in excerpts["one_change"])
    assert excerpts["listen_better"] == []  # one child answered it: never shown


def test_excerpts_would_give_a_hidden_count_away_so_they_are_not_shown(
    facilitator: User, consultation: Consultation, api_as: Callable[..., APIClient]
) -> None:
    """12 wrote, 1 skipped: showing 12 quotes would reveal that exactly 1 skipped."""
    for number in range(12):
        submit(facilitator, consultation, {"one_change": f"Idea {number}"})
    submit(facilitator, consultation, {})
    for answer in Answer.objects.filter(review_status=ReviewStatus.PENDING):
        api_as(facilitator).post(
            f"{BASE}/written-answers/{answer.id}/review/",
            {"decision": "approve", "text": str(answer.value)},
            format="json",
        )
    body = api_as(facilitator).get(f"{BASE}/consultations/{consultation.id}/results/").json()
    one_change = next(q for q in body["questions"] if q["id"] == "one_change")
    assert one_change["excerpts"] == []


def test_an_empty_approval_is_refused(
    facilitator: User, consultation: Consultation, api_as: Callable[..., APIClient]
) -> None:
    submit(facilitator, consultation, {"one_change": "Something"})
    answer = Answer.objects.get(review_status=ReviewStatus.PENDING)
    refused = api_as(facilitator).post(
        f"{BASE}/written-answers/{answer.id}/review/",
        {"decision": "approve", "text": " "},
        format="json",
    )
    assert refused.status_code == 400
    answer.refresh_from_db()
    assert (answer.review_status, answer.value) == (ReviewStatus.PENDING, "Something")


def test_summary_goes_through_the_release_review_and_is_published(
    facilitator: User,
    coordinator: User,
    dpo: User,
    consultation: Consultation,
    api_as: Callable[..., APIClient],
) -> None:
    for number in range(12):
        submit(
            facilitator,
            consultation,
            {"felt_safe": "very", "one_change": "More football" if number else "Call Joseph"},
        )
    for answer in Answer.objects.filter(review_status=ReviewStatus.PENDING):
        api_as(facilitator).post(
            f"{BASE}/written-answers/{answer.id}/review/",
            {"decision": "approve", "text": str(answer.value).replace("Joseph", "my family")},
            format="json",
        )
    said = api_as(facilitator).post(
        f"{BASE}/consultations/{consultation.id}/actions/",
        {
            "you_said": "Not enough football.",
            "we_did": "A football each Saturday.",
            "status": "done",
        },
        format="json",
    )
    assert said.status_code == 201
    assert (
        api_as(facilitator).post(f"{BASE}/consultations/{consultation.id}/summary/").status_code
        == 403
    )
    made = api_as(coordinator).post(f"{BASE}/consultations/{consultation.id}/summary/")
    assert made.status_code == 201
    release = Release.objects.get(pk=made.json()["release"])
    assert release.source == "participation"
    assert release.status == ReleaseStatus.DRAFT
    cells = release.result["cells"]
    assert {
        "question": "Q1",
        "answer": "Very safe",
        "count": 12,
        "suppressed": False,
    } in cells
    assert release.result["narrative"][0]["paragraphs"][0] == (
        "Q1: How safe did you feel at the place where you got help?"
    )
    assert release.result["narrative"][2]["pairs"] == [
        ["Not enough football.", "A football each Saturday. (Done)"]
    ]
    assert "Joseph" not in str(release.result)
    assert (
        Client().get(f"/participate/summaries/{release.id}/").status_code == 404
    )  # not yet public
    coordinator_api, dpo_api = api_as(coordinator), api_as(dpo)
    assert (
        coordinator_api.post(f"/api/v1/evidence/releases/{release.id}/submit/").status_code == 200
    )
    assert (
        coordinator_api.post(f"/api/v1/evidence/releases/{release.id}/publish/").status_code == 403
    )
    reviewed = dpo_api.post(
        f"/api/v1/evidence/releases/{release.id}/review/", {"approve": True}, format="json"
    )
    assert reviewed.status_code == 200
    assert (
        coordinator_api.post(f"/api/v1/evidence/releases/{release.id}/publish/").status_code == 200
    )
    csv = coordinator_api.get(f"/api/v1/evidence/releases/{release.id}/download/csv/")
    assert csv.status_code == 200
    assert "Q1,Very safe,12,no" in csv.content.decode()
    public = Client().get(f"/participate/summaries/{release.id}/").content.decode()
    assert "12 children and young people took part." in public
    assert "A football each Saturday." in public
    assert "More football" in public
    assert "Joseph" not in public
