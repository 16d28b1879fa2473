"""The dashboard: who sees it, filters, charts with their tables, chart images."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.urls import reverse

from safepath.accounts.models import Agency, User
from safepath.accounts.roles import Role
from safepath.cases.models import Case
from safepath.evidence.selectors import analysis_store
from safepath.evidence.tasks import cases_source_refresh
from safepath.testing.factories import register_case
from safepath.testing.fixtures import web_client_for

pytestmark = pytest.mark.django_db

DASHBOARD = reverse("evidence:dashboard")


@pytest.fixture
def refreshed(many_cases: list[Case]) -> None:
    cases_source_refresh()


@pytest.mark.slow
def test_coordinator_sees_four_charts_with_tables(coordinator: User, refreshed: None) -> None:
    response = web_client_for(coordinator).get(DASHBOARD)
    assert response.status_code == 200
    html = response.content.decode()
    for key in ("by-year", "sex-age", "exploitation", "flows"):
        assert f'data-testid="chart-{key}"' in html
        assert f'data-testid="table-{key}"' in html
    assert "17 cases, extracted" in html


@pytest.mark.slow
def test_small_counts_are_suppressed_on_the_page(analyst: User, refreshed: None) -> None:
    """3 boys in 2025 (below k = 11) and 14 girls in 2024: the boys' year is suppressed, and
    the girls' year with it, else the total would give the boys away."""
    response = web_client_for(analyst).get(DASHBOARD)
    years = response.context["charts"][0].data
    by_year = {row["labels"][0]: row["count"] for row in years.rows()}
    assert by_year == {"2024": "suppressed", "2025": "suppressed", "Total": "17"}
    html = response.content.decode()
    assert 'data-suppressed="true">suppressed<' in html
    assert ">3<" not in html  # never the small count itself


@pytest.mark.slow
def test_a_rare_form_of_exploitation_shows_as_suppressed(
    coordinator: User, caseworker_a: User, many_cases: list[Case]
) -> None:
    for _ in range(2):
        register_case(caseworker_a, forms_of_exploitation=["begging", "forced_labour"])
    cases_source_refresh()
    response = web_client_for(coordinator).get(DASHBOARD)
    assert response.status_code == 200
    forms = response.context["charts"][2].data
    by_form = {row["labels"][0]: row["count"] for row in forms.rows()}
    assert by_form == {"Forced labour": "19", "Forced begging": "suppressed"}


def test_filters_narrow_every_chart(coordinator: User, refreshed: None) -> None:
    response = web_client_for(coordinator).get(DASHBOARD, {"sex": "female"})
    assert response.status_code == 200
    years = response.context["charts"][0].data
    assert {row["labels"][0]: row["count"] for row in years.rows()} == {
        "2024": "14",
        "Total": "14",
    }
    assert "sex=female" in response.context["charts"][0].image_url


@pytest.mark.slow
def test_a_filter_outside_the_allowed_values_is_ignored_with_a_message(
    coordinator: User, refreshed: None
) -> None:
    response = web_client_for(coordinator).get(DASHBOARD, {"sex": "Wanjiru"})
    assert response.status_code == 200
    assert response.context["filter_query"] == {}
    assert "not one of the allowed values" in response.content.decode()


def test_before_the_first_refresh_the_page_says_so(coordinator: User) -> None:
    response = web_client_for(coordinator).get(DASHBOARD)
    assert response.status_code == 200
    assert response.context["charts"] == []
    assert "evidence_refresh" in response.content.decode()


@pytest.mark.parametrize("image_format", ["svg", "png"])
def test_chart_images_download(coordinator: User, refreshed: None, image_format: str) -> None:
    url = reverse("evidence:chart", args=["sex-age", image_format])
    response = web_client_for(coordinator).get(url, {"year_identified": "2024"})
    assert response.status_code == 200
    assert response["Content-Type"] == ("image/svg+xml" if image_format == "svg" else "image/png")
    if image_format == "svg":
        assert b"<title>Identified cases by sex and age group</title>" in response.content
        assert "style-src 'unsafe-inline'" in response["Content-Security-Policy"]
        assert "script-src" not in response["Content-Security-Policy"]


def test_an_unknown_chart_is_not_found(coordinator: User, refreshed: None) -> None:
    response = web_client_for(coordinator).get("/evidence/charts/names.svg")
    assert response.status_code == 404


@pytest.mark.parametrize(
    "role",
    [Role.CASEWORKER, Role.SUPERVISOR, Role.LAW_ENFORCEMENT, Role.FINANCIAL_ANALYST],
)
def test_other_roles_get_404_everywhere(
    make_user: Callable[..., User], agency_a: Agency, refreshed: None, role: str
) -> None:
    client = web_client_for(make_user(role, agency_a))
    before = analysis_store().source("cases").loaded_at
    for url in (DASHBOARD, reverse("evidence:chart", args=["by-year", "png"])):
        assert client.get(url).status_code == 404
    assert analysis_store().source("cases").loaded_at == before


def test_the_administrator_gets_404(make_user: Callable[..., User], refreshed: None) -> None:
    admin = make_user(Role.SYSTEM_ADMIN, None)
    assert web_client_for(admin).get(DASHBOARD).status_code == 404


def test_signed_out_visitors_are_sent_to_sign_in(client: object, refreshed: None) -> None:
    response = client.get(DASHBOARD)  # type: ignore[attr-defined]
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


@pytest.mark.parametrize(
    ("role", "shown"),
    [
        (Role.COORDINATOR, True),
        (Role.ANALYST, True),
        (Role.DATA_PROTECTION_OFFICER, True),
        (Role.CASEWORKER, False),
        (Role.SUPERVISOR, False),
        (Role.FINANCIAL_ANALYST, False),
    ],
)
def test_the_statistics_link_shows_for_the_right_roles(
    make_user: Callable[..., User], coordination: Agency, role: str, shown: bool
) -> None:
    response = web_client_for(make_user(role, coordination)).get("/")
    assert ("statistics" in {link.key for link in response.context["nav_links"]}) is shown
    assert (DASHBOARD in response.content.decode()) is shown


@pytest.mark.parametrize("language", ["fr", "es", "ar"])
def test_the_dashboard_and_a_chart_render_in_each_shell_language(
    coordinator: User, refreshed: None, language: str
) -> None:
    client = web_client_for(coordinator)
    response = client.get(DASHBOARD, HTTP_ACCEPT_LANGUAGE=language)
    assert response.status_code == 200
    assert f'lang="{language}"' in response.content.decode()
    chart = client.get(
        reverse("evidence:chart", args=["flows", "svg"]), HTTP_ACCEPT_LANGUAGE=language
    )
    assert chart.status_code == 200


def test_a_store_smaller_than_k_does_not_print_its_size(
    coordinator: User, caseworker_a: User
) -> None:
    for _ in range(4):
        register_case(caseworker_a)
    cases_source_refresh()
    html = web_client_for(coordinator).get(DASHBOARD).content.decode()
    assert "Fewer than 11 cases" in html
    assert "4 cases" not in html
