"""The OpenAPI schema: drf-spectacular's generator, the shape of hand-paginated lists, and the
errors every operation can answer (``core.exceptions``' one error shape)."""

from __future__ import annotations

from functools import cache
from typing import Any

from drf_spectacular.openapi import AutoSchema as SpectacularAutoSchema
from drf_spectacular.plumbing import ComponentRegistry, ResolvedComponent
from drf_spectacular.utils import inline_serializer
from rest_framework import serializers

_PAGINATED_LIST = "_safepath_paginated_list"


# The answer to a POST that creates one record: its id.
CREATED = inline_serializer(name="Created", fields={"id": serializers.UUIDField()})


@cache  # one component per item serializer, however many views list it
def paginated(item: type[serializers.Serializer[Any]]) -> serializers.Serializer[Any]:
    """One page of ``item`` as ``core.pagination.Pagination`` answers it (count, next, previous,
    results), for views that paginate by hand: ``responses=paginated(ItemSerializer)``."""
    name = item.__name__.removesuffix("Serializer")
    page = inline_serializer(
        name=f"Paginated{name}List",
        fields={
            "count": serializers.IntegerField(),
            "next": serializers.URLField(allow_null=True),
            "previous": serializers.URLField(allow_null=True),
            "results": item(many=True),
        },
    )
    setattr(page, _PAGINATED_LIST, True)
    return page


# core.exceptions.error_body: {"detail", "code"}, and "fields" naming each invalid field
ERROR_COMPONENT = ResolvedComponent(  # type: ignore[no-untyped-call]
    name="Error",
    type=ResolvedComponent.SCHEMA,
    object="Error",
    schema={
        "type": "object",
        "description": "Every API error: a readable sentence, a stable code, and for invalid "
        "input the messages for each field (dotted names for nested fields).",
        "properties": {
            "detail": {"type": "string"},
            "code": {"type": "string"},
            "fields": {
                "type": "object",
                "additionalProperties": {"type": "array", "items": {}},
            },
        },
        "required": ["detail", "code"],
    },
)


def error_statuses(operation: dict[str, Any], *, method: str, versioned: bool) -> dict[str, str]:
    """The error statuses an operation can answer, from what it takes: a body or query
    parameters can be invalid or refused (400), a body too large (413); an id in the path, or a
    page number, can name nothing (404); a signed-in operation refuses the signed-out (401) and
    the roles it is not for (403)."""
    parameters = operation.get("parameters", [])
    signed_in = {} not in operation.get("security", [{}])
    statuses: dict[str, str] = {}
    if "requestBody" in operation or any(p["in"] == "query" for p in parameters):
        statuses["400"] = "The request is not valid, or a rule refused it."
    if signed_in:
        statuses["401"] = "No valid credentials were sent."
        statuses["403"] = "The caller may not do this."
    if signed_in or "requestBody" in operation or parameters:
        statuses["404"] = (
            "Nothing with this id (in the path, a page number or the body) that the caller may "
            "see; a signed-in caller outside the roles an endpoint is for may also be told "
            "it does not exist (need to know)."
        )
    if "requestBody" in operation:
        statuses["413"] = "The request body is too large."
    on_a_record = any(p["in"] == "path" and p["name"].endswith("_id") for p in parameters)
    if method != "GET" and (on_a_record or versioned):
        statuses["409"] = (
            "The record changed since the caller read it (the version sent is not the current "
            "one), or is no longer in a state that allows this (already answered, done, "
            "withdrawn)."
        )
    return statuses


class AutoSchema(SpectacularAutoSchema):
    def get_operation(
        self,
        path: str,
        path_regex: str,
        path_prefix: str,
        method: str,
        registry: ComponentRegistry,
    ) -> dict[str, Any] | None:
        """The operation, with the errors it can answer documented beside its successes."""
        operation = super().get_operation(path, path_regex, path_prefix, method, registry)
        if operation is None:
            return None
        registry.register_on_missing(ERROR_COMPONENT)
        responses = operation.setdefault("responses", {})
        versioned = False
        if "requestBody" in operation:
            request = self.get_request_serializer()
            fields = getattr(request() if isinstance(request, type) else request, "fields", {})
            versioned = "version" in fields
        for status, description in error_statuses(
            operation, method=self.method, versioned=versioned
        ).items():
            responses.setdefault(status, {"description": description})
        for status, response in responses.items():
            if status.startswith("4") and "content" not in response:
                response["content"] = {"application/json": {"schema": ERROR_COMPONENT.ref}}
        return dict(operation)

    def get_operation_id(self) -> str:
        """A GET answering a page is named ``..._list``, as drf-spectacular names a list view,
        not ``..._retrieve`` like the detail view beside it."""
        operation_id = str(super().get_operation_id())
        if self.method == "GET" and _is_page(self.get_response_serializers()):
            return operation_id.removesuffix("_retrieve") + "_list"
        return operation_id


def _is_page(serializer: Any) -> bool:
    if isinstance(serializer, dict) and serializer:
        serializer = serializer[min(serializer, key=str)]
    return bool(getattr(serializer, _PAGINATED_LIST, False))
