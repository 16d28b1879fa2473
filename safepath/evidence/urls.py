from django.urls import URLPattern, URLResolver, path, register_converter

from safepath.evidence import views


class _Choice:
    """A path segment that is one of a few fixed words (a file format)."""

    regex = ""

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return value


class ImageFormat(_Choice):
    regex = "svg|png"


class TableFormat(_Choice):
    regex = "csv|xlsx|json|hxl|glotip"


class ChartKey(_Choice):
    regex = "[a-z][a-z-]{0,30}"


register_converter(ImageFormat, "evidence_image")
register_converter(TableFormat, "evidence_table")
register_converter(ChartKey, "evidence_chart")

app_name = "evidence"
urlpatterns: list[URLPattern | URLResolver] = [
    path("", views.dashboard_page, name="dashboard"),
    path(
        "charts/<evidence_chart:key>.<evidence_image:image_format>",
        views.chart_image,
        name="chart",
    ),
    path("sources/", views.sources_page, name="sources"),
    path(
        "sources/chart.<evidence_image:image_format>",
        views.source_chart_image,
        name="source-chart",
    ),
    path("releases/", views.release_list_page, name="releases"),
    path("releases/draft/", views.release_draft_page, name="release-draft"),
    path("releases/<uuid:release_id>/", views.release_detail_page, name="release"),
    path("releases/<uuid:release_id>/submit/", views.release_submit_page, name="release-submit"),
    path("releases/<uuid:release_id>/review/", views.release_review_page, name="release-review"),
    path("releases/<uuid:release_id>/publish/", views.release_publish_page, name="release-publish"),
    path(
        "releases/<uuid:release_id>/chart.<evidence_image:image_format>",
        views.release_chart_image,
        name="release-chart",
    ),
    path(
        "releases/<uuid:release_id>/table.<evidence_table:file_format>",
        views.release_download,
        name="release-download",
    ),
]
