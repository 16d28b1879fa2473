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
    assert {"/api/v1/cases/", "/api/v1/referrals/", "/api/v1/finance/alerts/"} <= set(paginated)
    assert len(paginated) >= 12
