"""The admin site manages agencies and users only: children and cases are never registered here."""

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin

from safepath.accounts.models import Agency, User


@admin.register(Agency)
class AgencyAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ("name", "code", "agency_type", "country", "is_active")
    list_filter = ("agency_type", "country", "is_active")
    search_fields = ("name", "code")


@admin.register(User)
class SafePathUserAdmin(UserAdmin):  # type: ignore[type-arg]
    list_display = ("username", "role", "agency", "is_active", "last_login")
    list_filter = ("role", "agency", "is_active")
    fieldsets = (
        *(UserAdmin.fieldsets or ()),
        ("SafePath", {"fields": ("role", "agency", "preferred_language")}),
    )
    add_fieldsets = (
        *UserAdmin.add_fieldsets,
        ("SafePath", {"fields": ("role", "agency")}),
    )
