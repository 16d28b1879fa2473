"""The admin site manages agencies and users only: children and cases are never registered here.

Every change made through it is written to the audit trail (field names, never values).
"""

from typing import Any

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin
from django.db import models
from django.http import HttpRequest, HttpResponse

from safepath.accounts.models import Agency, SsoClaimRule, SsoIdentity, User
from safepath.audit.models import Action, Channel
from safepath.audit.services import Actor, audit_record


class AuditedAdminMixin:
    """Write an audit event for each save and delete made in the admin site."""

    audit_object_type = ""

    def save_model(self, request: HttpRequest, obj: models.Model, form: Any, change: bool) -> None:
        super().save_model(request, obj, form, change)  # type: ignore[misc]
        audit_record(
            actor=Actor.of(request.user, Channel.WEB),
            action=Action.ADMIN,
            object_type=self.audit_object_type,
            object_id=obj.pk,
            details={
                "change": "changed" if change else "created",
                "fields": sorted(form.changed_data),
            },
        )

    def delete_model(self, request: HttpRequest, obj: models.Model) -> None:
        object_id = obj.pk
        super().delete_model(request, obj)  # type: ignore[misc]
        audit_record(
            actor=Actor.of(request.user, Channel.WEB),
            action=Action.ADMIN,
            object_type=self.audit_object_type,
            object_id=object_id,
            details={"change": "deleted"},
        )


@admin.register(Agency)
class AgencyAdmin(AuditedAdminMixin, admin.ModelAdmin):  # type: ignore[type-arg]
    audit_object_type = "agency"
    list_display = ("name", "code", "agency_type", "country", "is_active")
    list_filter = ("agency_type", "country", "is_active")
    search_fields = ("name", "code")

    def get_actions(self, request: HttpRequest) -> dict[str, Any]:
        actions = super().get_actions(request)
        actions.pop("delete_selected", None)  # bulk deletes would bypass the audit trail
        return actions


@admin.register(User)
class SafePathUserAdmin(AuditedAdminMixin, UserAdmin):  # type: ignore[type-arg]
    audit_object_type = "user"
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

    def get_actions(self, request: HttpRequest) -> dict[str, Any]:
        actions = super().get_actions(request)
        actions.pop("delete_selected", None)  # bulk deletes would bypass the audit trail
        return actions

    def user_change_password(
        self,
        request: HttpRequest,
        id: str,
        form_url: str = "",
    ) -> HttpResponse:
        """Django's password form saves without save_model: audit a successful change here."""
        response: HttpResponse = super().user_change_password(request, id, form_url)
        if request.method == "POST" and response.status_code == 302:
            audit_record(
                actor=Actor.of(request.user, Channel.WEB),
                action=Action.ADMIN,
                object_type="user",
                object_id=id,
                details={"change": "password"},
            )
        return response


@admin.register(SsoClaimRule)
class SsoClaimRuleAdmin(AuditedAdminMixin, admin.ModelAdmin):  # type: ignore[type-arg]
    """Single sign-on rules: which claim gives which role and agency. Tried from the lowest
    order number; the first that matches decides; none matched refuses the sign-in."""

    audit_object_type = "sso_rule"
    fields = ("position", "provider", "claim", "match", "value", "role", "agency", "is_active")
    list_display = fields
    list_display_links = ("position", "claim")
    list_filter = ("provider", "role", "is_active")

    def get_actions(self, request: HttpRequest) -> dict[str, Any]:
        actions = super().get_actions(request)
        actions.pop("delete_selected", None)  # bulk deletes would bypass the audit trail
        return actions


@admin.register(SsoIdentity)
class SsoIdentityAdmin(AuditedAdminMixin, admin.ModelAdmin):  # type: ignore[type-arg]
    """Accounts at the providers, made by sign-ins only. Deleting one unlinks it: the next
    sign-in from that account makes a new SafePath user (if a rule still matches)."""

    audit_object_type = "sso_identity"
    list_display = ("user", "provider", "created_at", "last_sign_in_at")
    list_filter = ("provider",)
    fields = ("user", "provider", "issuer", "subject", "created_at", "last_sign_in_at")
    readonly_fields = fields

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def get_actions(self, request: HttpRequest) -> dict[str, Any]:
        actions = super().get_actions(request)
        actions.pop("delete_selected", None)
        return actions
