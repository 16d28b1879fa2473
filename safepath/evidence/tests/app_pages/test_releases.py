"""Release pages: draft from the filters, review by the data-protection officer, publish,
download; and who may do which step."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.test import Client
from django.urls import reverse

from safepath.accounts.models import Agency, User
from safepath.accounts.roles import Role
from safepath.audit.models import AuditEvent
from safepath.cases.models import Case
from safepath.evidence.models import Release, ReleaseStatus
from safepath.evidence.tasks import cases_source_refresh
from safepath.testing.fixtures import web_client_for

pytestmark = pytest.mark.django_db

DRAFT = reverse("evidence:release-draft")


@pytest.fixture
def refreshed(many_cases: list[Case]) -> None:
    cases_source_refresh()


def _draft(client: Client, **extra: str) -> Release:
    data = {"by": ["year_identified"], "k": "11", "where_sex": "female", **extra}
    response = client.post(DRAFT, data)
    assert response.status_code == 302, response.content.decode()[:2000]
    release = Release.objects.get()
    assert response["Location"] == reverse("evidence:release", args=[release.id])
    return release


def test_a_draft_keeps_the_dashboard_filters(coordinator: User, refreshed: None) -> None:
    release = _draft(web_client_for(coordinator))
    assert release.status == ReleaseStatus.DRAFT
    assert release.parameters["where"] == {"sex": "female"}
    assert release.parameters["by"] == ["year_identified"]
    cells = {c["year_identified"]: c["count"] for c in release.result["cells"]}
    assert cells == {"2024": 14, "_T": 14}
    page = web_client_for(coordinator).get(reverse("evidence:release", args=[release.id]))
    assert page.status_code == 200
    assert "Send for review" in page.content.decode()


def test_a_bad_draft_says_why_and_stores_nothing(coordinator: User, refreshed: None) -> None:
    client = web_client_for(coordinator)
    response = client.post(DRAFT, {"by": ["year_identified"], "k": "1"})
    assert response.status_code == 400
    assert "greater than or equal to 2" in response.content.decode()
    response = client.post(DRAFT, {"by": ["year_identified"], "k": "11", "where_sex": "Amina"})
    assert response.status_code == 400
    assert "not one of the allowed values" in response.content.decode()
    assert not Release.objects.exists()


@pytest.mark.slow
def test_the_whole_workflow(coordinator: User, dpo: User, refreshed: None) -> None:
    author, reviewer = web_client_for(coordinator), web_client_for(dpo)
    release = _draft(author)
    assert author.post(reverse("evidence:release-submit", args=[release.id])).status_code == 302
    release.refresh_from_db()
    assert release.status == ReleaseStatus.IN_REVIEW

    review_url = reverse("evidence:release-review", args=[release.id])
    page = reviewer.get(review_url)
    assert page.status_code == 200
    assert "Methodology note" in page.content.decode()
    assert reviewer.post(review_url, {"decision": "reject"}).status_code == 400  # no reason
    release.refresh_from_db()
    assert release.status == ReleaseStatus.IN_REVIEW
    assert reviewer.post(review_url, {"decision": "approve"}).status_code == 302
    release.refresh_from_db()
    assert release.approved
    assert release.reviewed_by == dpo

    downloads = [
        reverse("evidence:release-download", args=[release.id, "csv"]),
        reverse("evidence:release-chart", args=[release.id, "png"]),
    ]
    assert author.get(downloads[0]).status_code == 403  # not yet published
    assert author.post(reverse("evidence:release-publish", args=[release.id])).status_code == 302
    release.refresh_from_db()
    assert release.status == ReleaseStatus.PUBLISHED

    listing = author.get(reverse("evidence:releases")).content.decode()
    assert release.title in listing
    for file_format in ("csv", "xlsx", "json", "hxl"):
        response = author.get(reverse("evidence:release-download", args=[release.id, file_format]))
        assert response.status_code == 200, file_format
        assert "attachment" in response["Content-Disposition"]
    glotip = reverse("evidence:release-download", args=[release.id, "glotip"])
    assert author.get(glotip).status_code == 404  # a table by year alone has no GLOTIP layout
    csv_text = author.get(downloads[0]).content.decode()
    assert "2024,14" in csv_text
    for image_format in ("png", "svg"):
        response = author.get(reverse("evidence:release-chart", args=[release.id, image_format]))
        assert response.status_code == 200
    assert AuditEvent.objects.filter(object_type="evidence.release", action="export").exists()


def test_a_suppressed_release_cell_reads_suppressed(coordinator: User, refreshed: None) -> None:
    client = web_client_for(coordinator)
    release = _draft(client, where_sex="")
    html = client.get(reverse("evidence:release", args=[release.id])).content.decode()
    assert 'data-suppressed="true">suppressed<' in html
    svg = client.get(reverse("evidence:release-chart", args=[release.id, "svg"])).content
    assert b">suppressed<" in svg


def test_the_author_cannot_review_and_the_reviewer_cannot_draft(
    coordinator: User, dpo: User, refreshed: None
) -> None:
    author = web_client_for(coordinator)
    release = _draft(author)
    author.post(reverse("evidence:release-submit", args=[release.id]))
    review_url = reverse("evidence:release-review", args=[release.id])
    assert author.post(review_url, {"decision": "approve"}).status_code == 403
    release.refresh_from_db()
    assert not release.approved
    reviewer = web_client_for(dpo)
    assert reviewer.post(DRAFT, {"by": ["sex"], "k": "11"}).status_code == 404
    assert Release.objects.count() == 1


def test_a_draft_is_invisible_to_others_until_submitted(
    coordinator: User, analyst: User, dpo: User, refreshed: None
) -> None:
    release = _draft(web_client_for(coordinator))
    url = reverse("evidence:release", args=[release.id])
    assert web_client_for(analyst).get(url).status_code == 404
    assert web_client_for(dpo).get(url).status_code == 404


@pytest.mark.parametrize(
    "role",
    [
        Role.CASEWORKER,
        Role.SUPERVISOR,
        Role.LAW_ENFORCEMENT,
        Role.FINANCIAL_ANALYST,
        Role.SYSTEM_ADMIN,
    ],
)
def test_other_roles_get_404_and_change_nothing(
    make_user: Callable[..., User],
    agency_a: Agency,
    coordinator: User,
    dpo: User,
    refreshed: None,
    role: str,
) -> None:
    release = _draft(web_client_for(coordinator))
    web_client_for(coordinator).post(reverse("evidence:release-submit", args=[release.id]))
    outsider = web_client_for(make_user(role, None if role == Role.SYSTEM_ADMIN else agency_a))
    before = (Release.objects.count(), AuditEvent.objects.count())
    for url in (
        reverse("evidence:releases"),
        reverse("evidence:release", args=[release.id]),
        reverse("evidence:release-review", args=[release.id]),
        reverse("evidence:release-chart", args=[release.id, "svg"]),
        reverse("evidence:release-download", args=[release.id, "csv"]),
    ):
        assert outsider.get(url).status_code == 404, url
    for url in (
        DRAFT,
        reverse("evidence:release-submit", args=[release.id]),
        reverse("evidence:release-publish", args=[release.id]),
        reverse("evidence:release-review", args=[release.id]),
    ):
        data = {"by": ["sex"], "k": "11", "decision": "approve"}
        assert outsider.post(url, data).status_code == 404, url
    release.refresh_from_db()
    assert release.status == ReleaseStatus.IN_REVIEW
    assert not release.approved
    assert (Release.objects.count(), AuditEvent.objects.count()) == before


def test_a_noisy_draft_shows_intervals_and_spends_budget(analyst: User, refreshed: None) -> None:
    client = web_client_for(analyst)
    release = _draft(client, epsilon="1", where_sex="")
    assert release.parameters["epsilon"] == 1.0
    assert release.spends.get().epsilon == 1
    html = client.get(reverse("evidence:release", args=[release.id])).content.decode()
    assert "95% interval" in html
    assert "epsilon 1.0" in html


def test_epsilon_over_the_budget_is_refused_with_what_remains(
    analyst: User, refreshed: None
) -> None:
    response = web_client_for(analyst).post(DRAFT, {"by": ["sex"], "k": "11", "epsilon": "9"})
    assert response.status_code == 400
    assert "5.0000 of 5.0000 remains" in response.content.decode()
    assert not Release.objects.exists()


def test_a_release_below_11_shows_no_figures_on_its_pages_until_approved(
    coordinator: User, dpo: User, refreshed: None
) -> None:
    author, officer = web_client_for(coordinator), web_client_for(dpo)
    release = _draft(author, k="2")
    page_url = reverse("evidence:release", args=[release.id])
    chart_url = reverse("evidence:release-chart", args=[release.id, "svg"])
    page = author.get(page_url).content.decode()
    assert 'data-testid="result-withheld"' in page
    assert 'data-testid="table-release"' not in page
    assert author.get(chart_url).status_code == 404
    author.post(reverse("evidence:release-submit", args=[release.id]))
    review = officer.get(reverse("evidence:release-review", args=[release.id])).content.decode()
    assert 'data-testid="table-release"' in review
    assert officer.get(chart_url).status_code == 200
    assert author.get(chart_url).status_code == 404
    officer.post(
        reverse("evidence:release-review", args=[release.id]),
        {"decision": "approve", "note": "checked"},
    )
    assert Release.objects.get().approved
    assert 'data-testid="table-release"' in author.get(page_url).content.decode()
    assert author.get(chart_url).status_code == 200
