from django.urls import URLPattern, URLResolver, path

from safepath.evidence import apis

urlpatterns: list[URLPattern | URLResolver] = [
    path("evidence/sources/", apis.SourceListApi.as_view(), name="api-evidence-sources"),
    path("evidence/tables/", apis.TableApi.as_view(), name="api-evidence-table"),
    path("evidence/budgets/<slug:source>/", apis.BudgetApi.as_view(), name="api-evidence-budget"),
    path("evidence/releases/", apis.ReleaseListCreateApi.as_view(), name="api-evidence-releases"),
    path(
        "evidence/releases/<uuid:release_id>/",
        apis.ReleaseDetailApi.as_view(),
        name="api-evidence-release",
    ),
    path(
        "evidence/releases/<uuid:release_id>/submit/",
        apis.ReleaseSubmitApi.as_view(),
        name="api-evidence-release-submit",
    ),
    path(
        "evidence/releases/<uuid:release_id>/review/",
        apis.ReleaseReviewApi.as_view(),
        name="api-evidence-release-review",
    ),
    path(
        "evidence/releases/<uuid:release_id>/publish/",
        apis.ReleasePublishApi.as_view(),
        name="api-evidence-release-publish",
    ),
    path(
        "evidence/releases/<uuid:release_id>/download/<slug:fmt>/",
        apis.ReleaseDownloadApi.as_view(),
        name="api-evidence-release-download",
    ),
]
