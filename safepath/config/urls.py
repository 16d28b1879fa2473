from django.contrib import admin
from django.urls import URLPattern, URLResolver, include, path
from django.views.i18n import set_language
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from safepath.accounts.apis import MeApi, TokenObtainApi, TokenRevokeApi
from safepath.core import views as core_views
from safepath.home import views as home_views

api_v1: list[URLPattern | URLResolver] = [
    path("auth/token/", TokenObtainApi.as_view(), name="api-token"),
    path("auth/token/revoke/", TokenRevokeApi.as_view(), name="api-token-revoke"),
    path("me/", MeApi.as_view(), name="api-me"),
    path("", include("safepath.cases.api_urls")),
    path("", include("safepath.screening.api_urls")),
    path("", include("safepath.referrals.api_urls")),
    path("", include("safepath.linkage.api_urls")),
    path("", include("safepath.evidence.api_urls")),
    path("", include("safepath.finance.api_urls")),
    path("", include("safepath.participation.api_urls")),
    path("", include("safepath.emergency.api_urls")),
    path("", include("safepath.online.api_urls")),
    path("", include("safepath.notify.api_urls")),
    path("", include("safepath.exchange.api_urls")),
]

urlpatterns = [
    path("", home_views.home, name="home"),
    path("healthz", core_views.healthz, name="healthz"),
    path("healthz/", core_views.healthz),
    path("accounts/", include("safepath.accounts.urls")),
    path("cases/", include("safepath.cases.urls")),
    path("screening/", include("safepath.screening.urls")),
    path("referrals/", include("safepath.referrals.urls")),
    path("linkage/", include("safepath.linkage.urls")),
    path("evidence/", include("safepath.evidence.urls")),
    path("finance/", include("safepath.finance.urls")),
    path("participation/", include("safepath.participation.urls")),
    path("participate/", include("safepath.participation.public_urls")),
    path("emergency/", include("safepath.emergency.urls")),
    path("", include("safepath.emergency.shell_urls")),
    path("tracing-lists/", include("safepath.linkage.public_urls")),
    path("online/", include("safepath.online.urls")),
    path("notifications/", include("safepath.notify.urls")),
    path("exchange/", include("safepath.exchange.urls")),
    path("webhooks/", include("safepath.notify.webhook_urls")),
    path("i18n/setlang/", set_language, name="set_language"),
    path("admin/", admin.site.urls),
    path("api/v1/", include(api_v1)),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("api/docs/", SpectacularSwaggerSplitView.as_view(url_name="api-schema"), name="api-docs"),
]
