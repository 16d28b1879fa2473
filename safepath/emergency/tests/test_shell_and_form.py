"""The web shell's offline support (manifest, service worker at the root, offline page) and the
rapid form's definition and checks, as pure functions."""

from __future__ import annotations

import copy
import datetime
import json
import uuid
from typing import Any

import pytest
from django.test import Client
from rest_framework.test import APIClient

from safepath.accounts.models import User
from safepath.emergency import fieldform
from safepath.emergency.tests.helpers import batch, create_op
from safepath.screening.models import ScreeningRecord
from safepath.testing.fixtures import web_client_for

TODAY = datetime.date(2026, 11, 2)


@pytest.mark.django_db
def test_every_page_links_the_manifest_and_registers_the_worker(caseworker_a: User) -> None:
    for page in (Client().get("/accounts/login/"), web_client_for(caseworker_a).get("/")):
        html = page.content.decode()
        assert '<link rel="manifest" href="/manifest.webmanifest">' in html
        assert "safepath/pwa.js" in html
        assert "<script>" not in html


@pytest.mark.django_db
def test_the_worker_is_served_from_the_root_and_the_manifest_installs(client: Client) -> None:
    worker = client.get("/sw.js")
    assert worker.status_code == 200
    assert worker["Content-Type"].startswith("text/javascript")
    assert worker["Service-Worker-Allowed"] == "/"
    body = worker.content.decode()
    assert '"/emergency/field/"' in body
    assert "/static/emergency/field.js" in body
    assert "/api/" in body  # never cached: the worker lets API requests through
    manifest = json.loads(client.get("/manifest.webmanifest").content)
    assert manifest["start_url"] == "/emergency/field/"
    assert manifest["display"] == "standalone"
    assert {icon["sizes"] for icon in manifest["icons"]} >= {"192x192", "512x512"}
    offline = client.get("/offline/")
    assert offline.status_code == 200
    assert b"/emergency/field/" in offline.content


def test_a_broken_definition_is_refused_with_its_place() -> None:
    raw = json.loads(fieldform.DEFINITION_FILE.read_text(encoding="utf-8"))
    broken = copy.deepcopy(raw)
    broken["fields"][0]["type"] = "essay"
    with pytest.raises(fieldform.FormDefinitionError, match="fields/0/type"):
        fieldform.parse_definition(broken)
    broken = copy.deepcopy(raw)
    broken["fields"][3]["choices"] = "colours"
    with pytest.raises(fieldform.FormDefinitionError, match="unknown choice list"):
        fieldform.parse_definition(broken)
    broken = copy.deepcopy(raw)
    broken["version"] = "2027.1"
    with pytest.raises(fieldform.FormDefinitionError, match="accepted_versions"):
        fieldform.parse_definition(broken)


@pytest.mark.parametrize(
    ("raw", "field", "code"),
    [
        ({"age_estimate": "18"}, "age_estimate", "range"),
        ({"age_estimate": "seven"}, "age_estimate", "integer"),
        ({"registered_on": "2026-11-03"}, "registered_on", "future"),
        (
            {"separation_date": "2026-11-02", "registered_on": "2026-11-01"},
            "separation_date",
            "after_registration",
        ),
        ({"area_country": "ZZ"}, "area_country", "country"),
        ({"languages": "arabic"}, "languages", "language"),
        ({"urgent_needs": "food toys"}, "urgent_needs", "choice"),
        ({"given_name": "x" * 201}, "given_name", "too_long"),
        ({"nickname": "Kim"}, "nickname", "unknown_field"),
        ({"given_name": "  "}, "given_name", "required"),
    ],
)
def test_each_check_names_its_field(raw: dict[str, Any], field: str, code: str) -> None:
    base = {
        "given_name": "Ayen", "sex": "female", "age_estimate": 7, "care_status": "separated",
        "separation_place": "Lodwar", "risk_level": "low", "registered_on": "2026-11-02",
        "area_country": "KE", "area_admin1": "Turkana",
    }  # fmt: skip
    _, problems = fieldform.clean_values(fieldform.definition(), {**base, **raw}, today=TODAY)
    assert (field, code) in {(p.field, p.code) for p in problems}


def test_values_come_back_in_one_form() -> None:
    values, problems = fieldform.clean_values(
        fieldform.definition(),
        {
            "given_name": " أيان ", "sex": "female", "age_estimate": "7",
            "care_status": "separated",
            "separation_place": "Lodwar", "risk_level": "low", "registered_on": "2026-11-02",
            "area_country": "ke", "area_admin1": "Turkana", "urgent_needs": "shelter medical",
            "languages": "AR; en", "other_names": "Ayen; Aya",
        },
        today=TODAY,
    )  # fmt: skip
    assert problems == []
    assert values["given_name"] == "أيان"
    assert values["age_estimate"] == 7
    assert values["area_country"] == "KE"
    assert values["urgent_needs"] == ["medical", "shelter"]
    assert values["languages"] == ["ar", "en"]
    assert values["other_names"] == ["Ayen", "Aya"]
    assert values["nationality"] == ""


@pytest.mark.django_db
def test_a_screening_made_offline_is_kept_once(api_as: Any, caseworker_a: User) -> None:
    client: APIClient = api_as(caseworker_a)
    created = create_op()
    interview = str(uuid.uuid4())
    screening = {
        "op_id": str(uuid.uuid4()),
        "kind": "screening",
        "record_id": created["record_id"],
        "screening": {
            "instrument": "child-risk",
            "interview_id": interview,
            "submission": {
                "age": 9,
                "answers": {"unaccompanied": "yes"},
                "context": {"setting": "humanitarian"},
            },
        },
    }  # fmt: skip
    results = client.post(
        "/api/v1/emergency/sync/", batch(created, screening), format="json"
    ).json()
    assert [r["status"] for r in results["results"]] == [201, 201]
    again = dict(screening, op_id=str(uuid.uuid4()))  # the same interview, sent as a new op
    client.post("/api/v1/emergency/sync/", batch(again), format="json")
    record = ScreeningRecord.objects.get()
    assert str(record.interview_id) == interview
    assert record.case is not None
    assert record.case.emergency_registration.record_id == uuid.UUID(created["record_id"])


@pytest.mark.django_db
def test_the_session_answer_tells_a_signed_out_device_to_sign_in(client: Client) -> None:
    answer = client.get("/api/v1/emergency/session/")
    assert answer.status_code == 200
    assert answer.json() == {"signed_in": False}
