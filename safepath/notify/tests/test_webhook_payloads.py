"""Default-deny payloads: every key of every webhook event has a category, none of them an
identifying one; a key named nowhere never goes; the OpenAPI schema documents every event."""

from __future__ import annotations

from typing import Any

import pytest
from drf_spectacular.generators import SchemaGenerator

from safepath.cases.scopes import EVERY_HOLDER
from safepath.notify.events import EVENTS, IDENTIFYING, WEBHOOK_CATEGORIES, payload_data
from safepath.notify.schema import component_name


@pytest.mark.parametrize("event_type", sorted(EVENTS))
def test_every_key_of_every_event_has_a_category_and_none_identifies(event_type: str) -> None:
    for key, category in EVENTS[event_type].keys.items():
        assert category == EVERY_HOLDER or category in WEBHOOK_CATEGORIES, (event_type, key)
        assert category not in IDENTIFYING


def test_identifying_categories_are_never_webhook_categories() -> None:
    assert not IDENTIFYING & WEBHOOK_CATEGORIES


def test_a_key_named_nowhere_or_outside_the_categories_is_dropped() -> None:
    values = {
        "case_id": "c",
        "reference": "SP-AAAA-BBBB",
        "owner_agency": "a",
        "given_name": "Never",
        "summary": "never",
        "forms_of_exploitation": ["forced_labour"],
    }
    every = frozenset({"identity", "contact", "case_facts", "plan", "owning_agency"})
    assert payload_data("case.created", values, frozenset()) == {
        "case_id": "c",
        "reference": "SP-AAAA-BBBB",
        "owner_agency": "a",
    }
    assert payload_data("case.created", values, every) == {
        "case_id": "c",
        "reference": "SP-AAAA-BBBB",
        "owner_agency": "a",
        "forms_of_exploitation": ["forced_labour"],
    }


@pytest.fixture(scope="module")
def schema() -> dict[str, Any]:
    generated: dict[str, Any] = SchemaGenerator().get_schema(request=None, public=True)
    return generated


def test_the_schema_documents_every_event_payload(schema: dict[str, Any]) -> None:
    components = schema["components"]["schemas"]
    for event_type, event in EVENTS.items():
        component = components[component_name(event_type)]
        assert component["properties"]["type"]["enum"] == [event_type]
        assert set(component["properties"]["data"]["properties"]) == set(event.keys)
    assert set(schema["x-webhooks"]) == set(EVENTS)


def test_the_schema_lists_the_webhooks_and_integrations_endpoints(schema: dict[str, Any]) -> None:
    paths = schema["paths"]
    for path in (
        "/api/v1/webhooks/",
        "/api/v1/webhooks/{subscription_id}/deliveries/",
        "/api/v1/webhooks/deliveries/{delivery_id}/replay/",
        "/api/v1/api-clients/",
        "/api/v1/integrations/cases/{reference}/",
    ):
        assert path in paths, path
