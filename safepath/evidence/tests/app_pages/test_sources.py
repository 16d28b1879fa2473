"""Imported sources beside the country's own: one dimension at a time, with the same k."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from django.urls import reverse

from safepath.accounts.models import Agency, User
from safepath.accounts.roles import Role
from safepath.evidence.demo import write_ctdc_demo_file
from safepath.evidence.services import source_import_ctdc
from safepath.testing.fixtures import web_client_for

pytestmark = pytest.mark.django_db

PAGE = reverse("evidence:sources")


@pytest.fixture
def imported(tmp_path: Path) -> None:
    source_import_ctdc(path=write_ctdc_demo_file(tmp_path / "vp.csv", rows=60), name="global")


def test_the_page_lists_imported_sources_and_draws_one(analyst: User, imported: None) -> None:
    client = web_client_for(analyst)
    page = client.get(PAGE)
    assert page.status_code == 200
    assert "global: 60 records" in page.content.decode()
    response = client.get(PAGE, {"compare": "global:majorityStatus"})
    assert response.status_code == 200
    rows = {row["labels"][0]: row["count"] for row in response.context["chart"].data.rows()}
    assert rows["Total"] == "60"
    assert set(rows) <= {"Adult", "Minor", "Not recorded", "Total"}
    assert all(count == "suppressed" or int(count) >= 11 for count in rows.values())
    image = client.get(
        reverse("evidence:source-chart", args=["svg"]), {"compare": "global:majorityStatus"}
    )
    assert image.status_code == 200
    assert b"<title>global: cases by" in image.content


def test_an_unknown_dimension_is_refused(analyst: User, imported: None) -> None:
    response = web_client_for(analyst).get(PAGE, {"compare": "global:citizenName"})
    assert response.status_code == 200
    assert response.context["chart"] is None
    assert "Select a valid choice" in response.content.decode()


def test_without_imports_the_page_says_how(analyst: User) -> None:
    assert "import-ctdc" in web_client_for(analyst).get(PAGE).content.decode()


def test_other_roles_get_404(
    make_user: Callable[..., User], agency_a: Agency, imported: None
) -> None:
    client = web_client_for(make_user(Role.CASEWORKER, agency_a))
    assert client.get(PAGE).status_code == 404
    chart = reverse("evidence:source-chart", args=["png"])
    assert client.get(chart, {"compare": "global:gender"}).status_code == 404
