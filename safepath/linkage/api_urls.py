from django.urls import URLPattern, URLResolver, path

from safepath.linkage import apis, apis_reunification

urlpatterns: list[URLPattern | URLResolver] = [
    path("linkage/pairs/", apis.PairListApi.as_view(), name="api-linkage-pairs"),
    path("linkage/pairs/<uuid:pair_id>/", apis.PairDetailApi.as_view(), name="api-linkage-pair"),
    path(
        "linkage/pairs/<uuid:pair_id>/confirm/",
        apis.PairDecisionApi.as_view(decision="confirm"),
        name="api-linkage-pair-confirm",
    ),
    path(
        "linkage/pairs/<uuid:pair_id>/reject/",
        apis.PairDecisionApi.as_view(decision="reject"),
        name="api-linkage-pair-reject",
    ),
    path(
        "linkage/pairs/<uuid:pair_id>/sharing-request/",
        apis.SharingRequestApi.as_view(),
        name="api-linkage-sharing-request",
    ),
    path(
        "linkage/cases/<uuid:case_id>/person/",
        apis.CasePersonApi.as_view(),
        name="api-linkage-case-person",
    ),
    path("linkage/runs/", apis.RunListApi.as_view(), name="api-linkage-runs"),
    path("linkage/runs/<uuid:run_id>/", apis.RunDetailApi.as_view(), name="api-linkage-run"),
    path(
        "linkage/persons/<uuid:person_id>/",
        apis.PersonDetailApi.as_view(),
        name="api-linkage-person",
    ),
    path(
        "linkage/persons/<uuid:person_id>/split/",
        apis.PersonSplitApi.as_view(),
        name="api-linkage-person-split",
    ),
    path(
        "linkage/changes/<uuid:change_id>/revert/",
        apis.ChangeRevertApi.as_view(),
        name="api-linkage-change-revert",
    ),
    path("linkage/requests/", apis.MatchRequestListApi.as_view(), name="api-linkage-requests"),
    path(
        "linkage/requests/cross-border/",
        apis.CrossBorderMatchesApi.as_view(),
        name="api-linkage-cross-border",
    ),
    path(
        "linkage/requests/<uuid:request_id>/answer/",
        apis.MatchRequestAnswerApi.as_view(),
        name="api-linkage-request-answer",
    ),
    path("linkage/tracing/", apis.TracingListApi.as_view(), name="api-linkage-tracing"),
    path(
        "linkage/tracing/<uuid:request_id>/",
        apis.TracingDetailApi.as_view(),
        name="api-linkage-tracing-request",
    ),
    path(
        "linkage/tracing/<uuid:request_id>/search/",
        apis.TracingSearchApi.as_view(),
        name="api-linkage-tracing-search",
    ),
    path(
        "linkage/tracing/candidates/<uuid:candidate_id>/",
        apis.TracingCandidateApi.as_view(),
        name="api-linkage-tracing-candidate",
    ),
    path(
        "linkage/tracing/candidates/<uuid:candidate_id>/verifications/",
        apis_reunification.VerificationApi.as_view(),
        name="api-linkage-tracing-verifications",
    ),
    path(
        "linkage/tracing/candidates/<uuid:candidate_id>/follow-ups/",
        apis_reunification.FollowUpApi.as_view(),
        name="api-linkage-tracing-follow-ups",
    ),
    path(
        "linkage/tracing/listings/",
        apis_reunification.ListingListApi.as_view(),
        name="api-linkage-tracing-listings",
    ),
    path(
        "linkage/tracing/listings/<uuid:listing_id>/withdraw/",
        apis_reunification.ListingWithdrawApi.as_view(),
        name="api-linkage-tracing-listing-withdraw",
    ),
    path(
        "linkage/tracing/public/",
        apis_reunification.PublicListApi.as_view(),
        name="api-linkage-tracing-public",
    ),
]
