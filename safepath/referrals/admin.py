"""Admin for the directory (audited like every admin change); referrals are changed only through
the workflow services, so they are not in the admin at all."""

from django.contrib import admin

from safepath.accounts.admin import AuditedAdminMixin
from safepath.referrals.models import Service, ServiceProvider


@admin.register(ServiceProvider)
class ServiceProviderAdmin(AuditedAdminMixin, admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ("name", "agency", "country")
    search_fields = ("name",)


@admin.register(Service)
class ServiceAdmin(AuditedAdminMixin, admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ("name", "provider", "service_type", "country", "admin_area", "is_active")
    list_filter = ("country", "is_active")
    search_fields = ("name", "provider__name")
