"""The evidence app's web pages: the dashboard and the release workflow."""

from safepath.evidence.views.dashboard import chart_image, dashboard_page
from safepath.evidence.views.releases import (
    release_chart_image,
    release_detail_page,
    release_download,
    release_draft_page,
    release_list_page,
    release_publish_page,
    release_review_page,
    release_submit_page,
)
from safepath.evidence.views.sources import source_chart_image, sources_page

__all__ = [
    "chart_image",
    "dashboard_page",
    "release_chart_image",
    "release_detail_page",
    "release_download",
    "release_draft_page",
    "release_list_page",
    "release_publish_page",
    "release_review_page",
    "release_submit_page",
    "source_chart_image",
    "sources_page",
]
