"""The OpenAPI schema: drf-spectacular's generator, and the shape of hand-paginated lists."""

from __future__ import annotations

from functools import cache
from typing import Any

from drf_spectacular.openapi import AutoSchema as SpectacularAutoSchema
from drf_spectacular.utils import inline_serializer
from rest_framework import serializers

_PAGINATED_LIST = "_safepath_paginated_list"


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


class AutoSchema(SpectacularAutoSchema):
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
