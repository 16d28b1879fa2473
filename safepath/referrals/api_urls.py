from django.urls import URLPattern, URLResolver, path

from safepath.referrals import apis

urlpatterns: list[URLPattern | URLResolver] = [
    path("services/", apis.ServiceListApi.as_view(), name="api-services"),
    path("services/types/", apis.ServiceTypesApi.as_view(), name="api-service-types"),
    path("services/<uuid:service_id>/", apis.ServiceDetailApi.as_view(), name="api-service"),
    path(
        "services/<uuid:service_id>/status/",
        apis.ServiceStatusApi.as_view(),
        name="api-service-status",
    ),
    path("referrals/", apis.ReferralListCreateApi.as_view(), name="api-referrals"),
    path("referrals/overdue/", apis.ReferralOverdueApi.as_view(), name="api-referrals-overdue"),
    path(
        "referrals/escalations/",
        apis.EscalationListApi.as_view(),
        name="api-referral-escalations",
    ),
    path(
        "referrals/suggestions/<uuid:case_id>/",
        apis.CaseSuggestionsApi.as_view(),
        name="api-referral-suggestions",
    ),
    path("referrals/<uuid:referral_id>/", apis.ReferralDetailApi.as_view(), name="api-referral"),
    path(
        "referrals/<uuid:referral_id>/accept/",
        apis.ReferralAcceptApi.as_view(),
        name="api-referral-accept",
    ),
    path(
        "referrals/<uuid:referral_id>/decline/",
        apis.ReferralDeclineApi.as_view(),
        name="api-referral-decline",
    ),
    path(
        "referrals/<uuid:referral_id>/outcome/",
        apis.ReferralOutcomeApi.as_view(),
        name="api-referral-outcome",
    ),
    path(
        "referrals/<uuid:referral_id>/withdraw/",
        apis.ReferralWithdrawApi.as_view(),
        name="api-referral-withdraw",
    ),
    path(
        "referrals/<uuid:referral_id>/consent/",
        apis.ReferralConsentApi.as_view(),
        name="api-referral-consent",
    ),
]
