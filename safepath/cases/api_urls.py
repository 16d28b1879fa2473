from django.urls import path

from safepath.cases import apis

urlpatterns = [
    path("cases/", apis.CaseListCreateApi.as_view(), name="api-cases"),
    path("cases/search/", apis.CaseSearchApi.as_view(), name="api-case-search"),
    path("cases/<uuid:case_id>/", apis.CaseDetailApi.as_view(), name="api-case"),
    path("cases/<uuid:case_id>/assignments/", apis.CaseAssignApi.as_view(), name="api-case-assign"),
    path("cases/<uuid:case_id>/consents/", apis.CaseConsentApi.as_view(), name="api-case-consent"),
    path("cases/<uuid:case_id>/shares/", apis.CaseShareApi.as_view(), name="api-case-share"),
]
