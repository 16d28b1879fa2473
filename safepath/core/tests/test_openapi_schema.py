"""The generated OpenAPI schema says what the API does: each request body is the endpoint's own
(no two serializers share a component name), and a paginated list is documented as the page it
answers (count, next, previous, results), not as a plain array."""

from __future__ import annotations

from typing import Any

import pytest
from drf_spectacular.drainage import GENERATOR_STATS
from drf_spectacular.generators import SchemaGenerator


@pytest.fixture(scope="module")
def schema() -> dict[str, Any]:
    GENERATOR_STATS._warn_cache.clear()
    generated = SchemaGenerator().get_schema(request=None, public=True)
    generated["_warnings"] = list(GENERATOR_STATS._warn_cache)
    return generated


def _resolve(schema: dict[str, Any], node: dict[str, Any]) -> dict[str, Any]:
    while "$ref" in node:
        node = schema["components"]["schemas"][node["$ref"].rsplit("/", 1)[1]]
    return node


def _request_fields(schema: dict[str, Any], path: str) -> set[str]:
    body = schema["paths"][path]["post"]["requestBody"]["content"]["application/json"]
    return set(_resolve(schema, body["schema"])["properties"])


def test_no_two_serializers_share_a_component_name(schema: dict[str, Any]) -> None:
    assert [w for w in schema["_warnings"] if "identical names" in w] == []


def test_the_screening_posts_document_their_own_bodies(schema: dict[str, Any]) -> None:
    created = _request_fields(schema, "/api/v1/screenings/")
    assert {"instrument", "case", "age", "answers"} <= created
    confirmed = _request_fields(schema, "/api/v1/screenings/{screening_id}/confirmation/")
    assert confirmed == {"confirmed_victim", "basis"}
    assert _request_fields(schema, "/api/v1/auth/token/") == {"username", "password", "otp"}


def test_every_paginated_list_is_documented_as_a_page(schema: dict[str, Any]) -> None:
    paginated = []
    for path, operations in schema["paths"].items():
        get = operations.get("get")
        if not get or "page" not in {p["name"] for p in get.get("parameters", [])}:
            continue
        content = get["responses"]["200"]["content"]["application/json"]["schema"]
        page = _resolve(schema, content)
        assert page.get("type") != "array", f"{path} is documented as a plain array"
        if "properties" in page:  # a few lists are documented as a free-form object
            assert set(page["properties"]) == {"count", "next", "previous", "results"}, path
            assert page["properties"]["results"]["type"] == "array", path
            assert get["operationId"].endswith("_list"), path
            paginated.append(path)
    assert {
        "/api/v1/cases/",
        "/api/v1/referrals/",
        "/api/v1/finance/alerts/",
        "/api/v1/notifications/deliveries/failed/",
    } <= set(paginated)
    assert len(paginated) >= 12


def test_no_two_operations_share_an_operation_id(schema: dict[str, Any]) -> None:
    """drf-spectacular renames a colliding operationId with a numeral suffix and warns: clients
    generated from the schema then get a method named by chance (the plan POST and its steps,
    the release list and the release)."""
    assert [w for w in schema["_warnings"] if "collisions" in w] == []
    ids = [
        operation["operationId"]
        for operations in schema["paths"].values()
        for operation in operations.values()
        if isinstance(operation, dict) and "operationId" in operation
    ]
    assert len(ids) == len(set(ids))


def test_every_error_an_operation_answers_is_documented_in_the_one_error_shape(
    schema: dict[str, Any],
) -> None:
    """Schemathesis found 4xx answers the schema did not document (every 403, 404 and 400, a
    referral withdrawn on a stale version: 409): each operation now lists them, each with
    core.exceptions' body {detail, code, fields?}."""
    error = schema["components"]["schemas"]["Error"]
    assert set(error["required"]) == {"detail", "code"}
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            responses = operation["responses"]
            signed_in = {} not in operation.get("security", [{}])
            expected = {"401", "403", "404"} if signed_in else set()
            if "requestBody" in operation:
                expected |= {"400", "404", "413"}
            if method != "get" and "_id}" in path:
                expected.add("409")  # a change to a record that changed or moved on meanwhile
            assert expected <= set(responses), f"{method.upper()} {path}"
            for status, response in responses.items():
                if status.startswith("4"):
                    body = response["content"]["application/json"]["schema"]
                    assert body == {"$ref": "#/components/schemas/Error"}, (path, status)


def test_a_record_added_to_a_case_is_documented_as_created_with_its_id(
    schema: dict[str, Any],
) -> None:
    """The case-record POSTs (notes, plans, reviews, guardians...) answer 201 {"id"}; the schema
    said 200 with the request's own fields."""
    for record in ("notes", "plans", "reviews", "guardians", "family", "transition-plans"):
        responses = schema["paths"][f"/api/v1/cases/{{case_id}}/{record}/"]["post"]["responses"]
        assert "200" not in responses, record
        created = _resolve(schema, responses["201"]["content"]["application/json"]["schema"])
        assert set(created["properties"]) == {"id"}, record
    decision = schema["paths"]["/api/v1/cases/{case_id}/transitions/"]["post"]["responses"]
    assert {"200", "409"} <= set(decision)
    assert _resolve(schema, decision["200"]["content"]["application/json"]["schema"])[
        "properties"
    ].keys() >= {"child", "status", "version"}


def test_the_evidence_lists_are_documented_as_lists(schema: dict[str, Any]) -> None:
    for path in ("/api/v1/evidence/sources/", "/api/v1/evidence/releases/"):
        body = schema["paths"][path]["get"]["responses"]["200"]["content"]["application/json"]
        assert body["schema"]["type"] == "array", path
    download = schema["paths"]["/api/v1/evidence/releases/{release_id}/download/{fmt}/"]["get"]
    assert {"text/csv", "application/json"} <= set(download["responses"]["200"]["content"])
