"""Every webhook event's payload in the OpenAPI schema, as a component (``WebhookEvent...``),
built from the event catalogue (``events.EVENTS``) so the two cannot drift apart. The schema
stays OpenAPI 3.0 (its ``webhooks`` section is 3.1 only); ``x-webhooks`` lists the events."""

from __future__ import annotations

from typing import Any

from safepath.cases.scopes import EVERY_HOLDER
from safepath.notify.events import EVENTS

_TIMES = {"created_at", "status_changed_at", "due_at", "withdrawn_at", "sent_at"}
_LISTS = {"forms_of_exploitation", "countries_of_transit"}


def component_name(event_type: str) -> str:
    return "WebhookEvent" + "".join(
        part.capitalize() for part in event_type.replace(".", "_").split("_")
    )


def _key_schema(key: str, category: str) -> dict[str, Any]:
    if key in _LISTS:
        schema: dict[str, Any] = {"type": "array", "items": {"type": "string"}}
    elif key == "shares_ended":
        schema = {"type": "integer"}
    elif key in _TIMES:
        schema = {"type": "string", "format": "date-time"}
    elif key == "identified_on":
        schema = {"type": "string", "format": "date"}
    else:
        schema = {"type": "string"}
    if category == EVERY_HOLDER:
        schema["description"] = "always sent"
    else:
        schema["description"] = f"sent only when the subscription holds the {category} category"
    return schema


def event_component(event_type: str) -> dict[str, Any]:
    event = EVENTS[event_type]
    return {
        "type": "object",
        "description": f"{event.title}. POSTed with the headers webhook-id, webhook-timestamp "
        "and webhook-signature (v1,<base64 HMAC-SHA256 of id.timestamp.body> under the "
        "subscription's whsec_ secret: the Standard Webhooks specification).",
        "required": ["type", "timestamp", "data"],
        "properties": {
            "type": {"type": "string", "enum": [event_type]},
            "timestamp": {"type": "string", "format": "date-time"},
            "data": {
                "type": "object",
                "required": sorted(k for k, c in event.keys.items() if c == EVERY_HOLDER),
                "properties": {k: _key_schema(k, c) for k, c in event.keys.items()},
            },
        },
    }


def add_webhook_events(result: dict[str, Any], **kwargs: Any) -> dict[str, Any]:
    """drf-spectacular post-processing hook: the event payloads as components."""
    schemas = result.setdefault("components", {}).setdefault("schemas", {})
    for event_type in EVENTS:
        schemas[component_name(event_type)] = event_component(event_type)
    result["x-webhooks"] = {
        event_type: {"$ref": f"#/components/schemas/{component_name(event_type)}"}
        for event_type in EVENTS
    }
    return result
