"""The web pages: queue, pair review with chart and words, person history, tracing."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from safepath.accounts.models import User
from safepath.cases.models import Case
from safepath.linkage.models import CandidatePair, PairStatus, PersonMember, TracingRequest
from safepath.linkage.tests.app.conftest import TRACING, give_consent
from safepath.testing.fixtures import web_client_for

pytestmark = pytest.mark.django_db


def test_queue_review_and_confirm_lead_to_the_person_history(
    supervisor_a: User,
    make_pair: Callable[..., CandidatePair],
    cases_a: tuple[Case, Case],
) -> None:
    pair = make_pair(*cases_a)
    client = web_client_for(supervisor_a)

    queue = client.get("/linkage/")
    assert queue.status_code == 200
    assert f"/linkage/pairs/{pair.id}/" in queue.content.decode()
    assert "97%" in queue.content.decode()

    review = client.get(f"/linkage/pairs/{pair.id}/")
    html = review.content.decode()
    assert review.status_code == 200
    assert '<svg role="img"' in html
    assert "<title" in html
    assert html.count("<rect ") == 3
    assert "Given name (exact match) makes a match 64.0 times more likely." in html
    assert "style=" not in html
    assert "<script>" not in html

    done = client.post(
        f"/linkage/pairs/{pair.id}/",
        {"decision": "confirm", "reason": "Same mother", "version": 1},
    )
    person = PersonMember.objects.get(child=cases_a[0].child).person
    assert done.status_code == 302
    assert done["Location"] == f"/linkage/persons/{person.pk}/"
    history = client.get(done["Location"]).content.decode()
    assert "Same mother" in history
    assert cases_a[0].reference in history
    assert cases_a[1].reference in history


def test_a_stale_decision_on_the_page_is_409_and_changes_nothing(
    supervisor_a: User,
    make_pair: Callable[..., CandidatePair],
    cases_a: tuple[Case, Case],
) -> None:
    pair = make_pair(*cases_a)
    response = web_client_for(supervisor_a).post(
        f"/linkage/pairs/{pair.id}/", {"decision": "confirm", "reason": "x", "version": 7}
    )
    assert response.status_code == 409
    pair.refresh_from_db()
    assert pair.status == PairStatus.PENDING


def test_the_cross_agency_notice_page_offers_a_request_and_hides_the_other_child(
    supervisor_b: User,
    make_pair: Callable[..., CandidatePair],
    cases_a: tuple[Case, Case],
    case_b: Case,
) -> None:
    pair = make_pair(cases_a[0], case_b)
    client = web_client_for(supervisor_b)
    html = client.get(f"/linkage/pairs/{pair.id}/").content.decode()
    assert "A possible duplicate is held by Agency A." in html
    assert cases_a[0].reference not in html
    assert "<svg" not in html
    asked = client.post(f"/linkage/pairs/{pair.id}/sharing-request/")
    assert asked.status_code == 302
    assert pair.requests.get().holding_agency == cases_a[0].owner_agency


@pytest.mark.parametrize("url", ["/linkage/", "/linkage/tracing/"])
def test_roles_without_linkage_get_404(
    url: str, make_user: Callable[..., User], agency_a: object
) -> None:
    for role in ("law_enforcement", "system_admin", "coordinator", "analyst"):
        assert web_client_for(make_user(role, agency_a)).get(url).status_code == 404


def test_caseworker_gets_no_queue_but_traces(caseworker_a: User) -> None:
    client = web_client_for(caseworker_a)
    assert client.get("/linkage/").status_code == 404
    home = client.get("/linkage/tracing/")
    assert home.status_code == 200


def test_tracing_pages_record_search_and_step(
    caseworker_a: User, cases_a: tuple[Case, Case]
) -> None:
    give_consent(cases_a[0], TRACING)
    client = web_client_for(caseworker_a)
    created = client.post(
        "/linkage/tracing/new/",
        {
            "sought_given_name": "Amina",
            "sought_family_name": "Yusuf",
            "sought_sex": "female",
            "sought_birth_year": "2012",
            "requester_name": "Halima",
            "requester_relation": "mother",
        },
    )
    assert created.status_code == 302, created.content.decode()[:500]
    item = TracingRequest.objects.get()
    assert created["Location"] == f"/linkage/tracing/{item.pk}/"
    client.post(created["Location"], {"search": "1"})
    page = client.get(created["Location"]).content.decode()
    assert cases_a[0].reference in page
    assert cases_a[1].reference not in page  # no consent to tracing
    candidate = item.candidates.get()
    client.post(
        created["Location"],
        {"candidate": str(candidate.pk), "version": "1", "status": "verifying", "note": ""},
    )
    candidate.refresh_from_db()
    assert candidate.status == "verifying"


def test_nav_links_follow_the_policy(supervisor_a: User, caseworker_a: User) -> None:
    supervisor_home = web_client_for(supervisor_a).get("/").content.decode()
    assert 'href="/linkage/"' in supervisor_home
    assert 'href="/linkage/tracing/"' in supervisor_home
    caseworker_home = web_client_for(caseworker_a).get("/").content.decode()
    assert 'href="/linkage/"' not in caseworker_home
    assert 'href="/linkage/tracing/"' in caseworker_home
