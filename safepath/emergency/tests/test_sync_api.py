"""The sync API: records in order, each once; conflicts shown field by field, never overwritten;
bad input named per record and nothing half-written."""

from __future__ import annotations

import copy
import uuid
from collections.abc import Callable
from typing import Any

import pytest
from rest_framework.test import APIClient

from safepath.accounts.models import User
from safepath.cases.models import Case, CaseChange, FamilyMember
from safepath.emergency.models import Registration, SyncConflict, SyncReceipt
from safepath.emergency.tests.helpers import batch, create_op, update_op
from safepath.linkage.models import CandidatePair

SYNC = "/api/v1/emergency/sync/"
pytestmark = pytest.mark.django_db


def _sync(client: APIClient, body: dict[str, Any]) -> list[dict[str, Any]]:
    response = client.post(SYNC, body, format="json")
    assert response.status_code == 200, response.content
    results: list[dict[str, Any]] = response.json()["results"]
    return results


def test_a_create_registers_the_child_case_and_registration(
    api_as: Callable[..., APIClient], caseworker_a: User
) -> None:
    op = create_op()
    [result] = _sync(api_as(caseworker_a), batch(op))

    assert result["status"] == 201
    registration = Registration.objects.get(record_id=op["record_id"])
    case = registration.case
    assert str(case.id) == result["case_id"]
    assert case.version == result["version"] == 1
    assert case.child.given_name == "Nyakim"
    assert case.child.care_arrangement == "unaccompanied"
    assert case.child.date_of_birth_estimated
    assert case.child.age_at_identification == 9
    assert registration.separation_place == "Lokichoggio road"
    assert registration.urgent_needs == ["food_water", "shelter"]
    assert FamilyMember.objects.get(case=case).relation == "mother"
    assert case.assignments.get().user == caseworker_a


def test_sending_a_batch_twice_makes_no_second_record(
    api_as: Callable[..., APIClient], caseworker_a: User
) -> None:
    client = api_as(caseworker_a)
    body = batch(create_op(), create_op(given_name="Ladu", sex="male"))
    first = _sync(client, body)
    again = _sync(client, copy.deepcopy(body))

    assert [r["status"] for r in first] == [201, 201]
    assert [r["status"] for r in again] == [208, 208]
    assert [r["case_id"] for r in again] == [r["case_id"] for r in first]
    assert Registration.objects.count() == 2
    assert Case.objects.count() == 2
    assert SyncReceipt.objects.count() == 2


def test_the_same_record_under_a_new_op_id_is_not_registered_twice(
    api_as: Callable[..., APIClient], caseworker_a: User
) -> None:
    client = api_as(caseworker_a)
    record = uuid.uuid4()
    _sync(client, batch(create_op(record)))
    [again] = _sync(client, batch(create_op(record)))
    assert again["status"] == 208
    assert Registration.objects.count() == 1


def test_an_op_id_reused_for_another_operation_is_refused(
    api_as: Callable[..., APIClient], caseworker_a: User
) -> None:
    client = api_as(caseworker_a)
    op = create_op()
    _sync(client, batch(op))
    other = create_op(given_name="Someone else")
    other["op_id"] = op["op_id"]
    [result] = _sync(client, batch(other))
    assert (result["status"], result["code"]) == (400, "op_id_reused")
    assert Registration.objects.count() == 1


def _created(client: APIClient) -> tuple[str, dict[str, Any]]:
    op = create_op()
    _sync(client, batch(op))
    return op["record_id"], op["values"]


def test_an_update_at_the_current_version_applies(
    api_as: Callable[..., APIClient], caseworker_a: User
) -> None:
    client = api_as(caseworker_a)
    record, before = _created(client)
    [result] = _sync(
        client,
        batch(
            update_op(
                record, 1, {"site": "Clinic", "family_name": "Dengdit"}, {"site": before["site"]}
            )
        ),
    )
    assert (result["status"], result["version"]) == (200, 2)
    registration = Registration.objects.get(record_id=record)
    assert registration.site == "Clinic"
    assert registration.case.child.family_name == "Dengdit"
    kinds = set(CaseChange.objects.filter(case=registration.case).values_list("kind", flat=True))
    assert {"update", "emergency_sync"} <= kinds


def test_edits_to_different_fields_on_two_devices_merge(
    api_as: Callable[..., APIClient], caseworker_a: User
) -> None:
    client = api_as(caseworker_a)
    record, before = _created(client)
    _sync(
        client,
        batch(update_op(record, 1, {"site": "Clinic"}, {"site": before["site"]}), device="d1"),
    )
    [result] = _sync(
        client,
        batch(
            update_op(record, 1, {"with_whom": "An aunt"}, {"with_whom": before["with_whom"]}),
            device="d2",
        ),
    )
    assert result["status"] == 200
    assert result["merged"] is True
    registration = Registration.objects.get(record_id=record)
    assert (registration.site, registration.with_whom) == ("Clinic", "An aunt")


def test_the_same_field_changed_on_two_devices_is_a_conflict_and_nothing_is_written(
    api_as: Callable[..., APIClient], caseworker_a: User
) -> None:
    client = api_as(caseworker_a)
    record, before = _created(client)
    _sync(client, batch(update_op(record, 1, {"site": "Clinic"}, {"site": before["site"]})))
    version = Registration.objects.get(record_id=record).case.version
    [result] = _sync(
        client,
        batch(
            update_op(
                record,
                1,
                {"site": "School", "with_whom": "An aunt"},
                {"site": before["site"], "with_whom": before["with_whom"]},
            )
        ),
    )
    assert (result["status"], result["code"], result["current_version"]) == (409, "conflict", 2)
    assert result["conflicts"] == [
        {
            "field": "site",
            "base_value": before["site"],
            "device_value": "School",
            "server_value": "Clinic",
        }
    ]
    assert result["server_values"]["site"] == "Clinic"
    registration = Registration.objects.get(record_id=record)
    assert (registration.site, registration.with_whom) == ("Clinic", before["with_whom"])
    assert registration.case.version == version


def test_a_resolution_keeps_both_values_in_the_history(
    api_as: Callable[..., APIClient], caseworker_a: User
) -> None:
    client = api_as(caseworker_a)
    record, before = _created(client)
    _sync(client, batch(update_op(record, 1, {"site": "Clinic"}, {"site": before["site"]})))
    resolve = update_op(record, 2, {"site": "School"}, {"site": "Clinic"})
    resolve["kind"] = "resolve"
    resolve["resolutions"] = [
        {"field": "site", "chosen": "device", "device_value": "School", "server_value": "Clinic"}
    ]
    [result] = _sync(client, batch(resolve))
    assert result["status"] == 200
    registration = Registration.objects.get(record_id=record)
    assert registration.site == "School"
    conflict = SyncConflict.objects.get()
    assert (conflict.server_value, conflict.device_value, conflict.chosen) == (
        "Clinic",
        "School",
        "device",
    )
    kept = CaseChange.objects.get(case=registration.case, kind="emergency_conflict_resolved")
    assert (kept.before, kept.after) == ({"site": "Clinic"}, {"site": "School"})


def test_a_base_version_that_never_existed_is_refused(
    api_as: Callable[..., APIClient], caseworker_a: User
) -> None:
    client = api_as(caseworker_a)
    record, before = _created(client)
    [result] = _sync(client, batch(update_op(record, 7, {"site": "X"}, {"site": before["site"]})))
    assert (result["status"], result["code"], result["current_version"]) == (
        400,
        "unknown_base_version",
        1,
    )
    assert Registration.objects.get(record_id=record).site == before["site"]


def test_bad_records_are_named_and_the_good_ones_go_through(
    api_as: Callable[..., APIClient], caseworker_a: User
) -> None:
    client = api_as(caseworker_a)
    good, bad, later = create_op(), create_op(age_estimate=40, area_country="XX", sex="cat"), None
    later = update_op(bad["record_id"], 1, {"site": "x"}, {})
    results = _sync(client, batch(bad, good, later))
    assert [r["status"] for r in results] == [400, 201, 424]
    assert set(results[0]["fields"]) == {"age_estimate", "area_country", "sex"}
    assert results[0]["record_id"] == bad["record_id"]
    assert Registration.objects.count() == 1


def test_an_unknown_form_version_is_refused(
    api_as: Callable[..., APIClient], caseworker_a: User
) -> None:
    op = create_op()
    op["form_version"] = "1999.9"
    [result] = _sync(api_as(caseworker_a), batch(op))
    assert (result["status"], result["code"]) == (400, "unknown_form_version")
    assert not Registration.objects.exists()


def test_a_malformed_batch_is_refused_whole(
    api_as: Callable[..., APIClient], caseworker_a: User
) -> None:
    response = api_as(caseworker_a).post(SYNC, {"ops": "nope"}, format="json")
    assert response.status_code == 400
    assert not Registration.objects.exists()


def test_another_users_record_is_not_found(
    api_as: Callable[..., APIClient], caseworker_a: User, caseworker_b: User
) -> None:
    record, before = _created(api_as(caseworker_a))
    [result] = _sync(
        api_as(caseworker_b), batch(update_op(record, 1, {"site": "x"}, {"site": before["site"]}))
    )
    assert (result["status"], result["code"]) == (404, "not_found")


def test_two_devices_registering_the_same_child_go_to_the_review_queue(
    api_as: Callable[..., APIClient],
    caseworker_a: User,
    supervisor_a: User,
    django_capture_on_commit_callbacks: Any,
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        _sync(api_as(caseworker_a), batch(create_op(), device="phone"))
    with django_capture_on_commit_callbacks(execute=True):
        _sync(api_as(supervisor_a), batch(create_op(site="Another gate"), device="tablet"))
    pair = CandidatePair.objects.get()
    assert pair.status == "pending"
    assert pair.match_probability > 0.9


def test_roles_that_do_not_register_get_not_found(
    api_as: Callable[..., APIClient], make_user: Callable[..., User], coordination: Any
) -> None:
    coordinator = make_user("coordinator", coordination)
    response = api_as(coordinator).post(SYNC, batch(create_op()), format="json")
    assert response.status_code == 404
    assert not Registration.objects.exists()
