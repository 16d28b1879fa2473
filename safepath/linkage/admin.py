"""Admin: run and export counts only, read-only. Pairs, persons and tracing requests carry
children's data and change only through the audited services, so they are not here at all."""

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from safepath.linkage.models import EncodingExport, MatchRun


class ReadOnlyAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(MatchRun)
class MatchRunAdmin(ReadOnlyAdmin):
    list_display = ("created_at", "scope", "agency", "status", "record_count", "pair_count")
    list_filter = ("status", "scope")


@admin.register(EncodingExport)
class EncodingExportAdmin(ReadOnlyAdmin):
    list_display = ("created_at", "agency", "schema_id", "record_count", "excluded_count")
