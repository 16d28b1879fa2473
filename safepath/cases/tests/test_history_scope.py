"""The case history is read through the consent's data categories, like every other read: an
agency the case is shared with sees the changes to what its consent covers, and nothing of the
rest (not its values, not its field names, not the records added under it)."""

from __future__ import annotations

from typing import Any

import pytest
from django.utils import timezone

from safepath.accounts.models import Agency, User
from safepath.cases.models import Case
from safepath.cases.services import case_share, consent_record
from safepath.testing.factories import register_case
from safepath.testing.fixtures import api_client_for, web_client_for

TODAY = timezone.localdate()
VIEWS: dict[str, Any] = {
    "views": "I want to stay near my sister.",
    "informed_language": "sw",
    "informed_in_understandable_manner": True,
    "weight_given": "Given great weight.",
    "heard_on": str(TODAY),
}
# values outside an identity + case-facts consent, each entered by the owning agency
HIDDEN = ("14 Harbour Road", "Hillside shelter room 3", "arrested", "self_declared")
HIDDEN_FIELDS = ("address", "placement_location", "placement")
HIDDEN_KINDS = ("child_views", "justice_contact", "age_assessment", "placement")


def url(case: Case, tail: str = "") -> str:
    return f"/api/v1/cases/{case.id}/{tail}"


def version(case: Case) -> int:
    return Case.objects.values_list("version", flat=True).get(pk=case.pk)


def _owner_changes(case: Case, owner: User) -> None:
    """The owning agency records what a partner's consent does not cover (and some it does)."""
    client = api_client_for(owner)
    changes = {
        "version": version(case),
        "summary": "Recruited at the bus station.",
        "child": {"given_name": "Amira", "address": "14 Harbour Road"},
    }
    assert client.patch(url(case), changes, format="json").status_code == 200
    placed = {
        "version": version(case),
        "placement": "shelter",
        "location": "Hillside shelter room 3",
        "views": VIEWS,
    }
    assert client.post(url(case, "placement/"), placed, format="json").status_code == 200
    heard = {**VIEWS, "decision": "referral"}
    assert client.post(url(case, "child-views/"), heard, format="json").status_code == 201
    contact = {"kind": "arrested", "occurred_on": str(TODAY)}
    assert client.post(url(case, "justice-contacts/"), contact, format="json").status_code == 201
    age = {"method": "self_declared", "assessed_on": str(TODAY), "minimum_age": 13}
    age["maximum_age"] = 15
    assert client.post(url(case, "age-assessments/"), age, format="json").status_code == 201


@pytest.fixture
def shared_case(caseworker_a: User, agency_b: Agency) -> Case:
    case = register_case(caseworker_a)
    consent = consent_record(
        user=caseworker_a,
        case=case,
        given_by="guardian",
        purpose="sharing",
        data_scope="Identity and the trafficking facts",
        data_categories=["identity", "case_facts"],
        recipient_agency=agency_b,
        given_on=TODAY,
        expires_on=None,
        channel="api",
    )
    case_share(user=caseworker_a, case=case, agency=agency_b, consent=consent, channel="api")
    _owner_changes(case, caseworker_a)
    return case


@pytest.mark.django_db
def test_a_partner_reads_in_the_api_history_only_what_the_consent_covers(
    shared_case: Case, caseworker_a: User, make_user: Any, agency_b: Agency
) -> None:
    supervisor_b = make_user("supervisor", agency_b)
    response = api_client_for(supervisor_b).get(url(shared_case, "history/"))

    assert response.status_code == 200
    text = response.content.decode()
    for value in HIDDEN:
        assert value not in text
    history = response.json()
    assert not [h for h in history if h["kind"] in HIDDEN_KINDS]
    fields = {name for h in history for name in h["changed_fields"] + [*h["before"], *h["after"]]}
    assert not fields & set(HIDDEN_FIELDS)
    # what the consent covers is still there, values and all
    (update,) = [h for h in history if h["kind"] == "update"]
    assert update["changed_fields"] == ["given_name", "summary"]
    assert update["after"] == {"given_name": "Amira", "summary": "Recruited at the bus station."}
    assert update["before"]["given_name"] == "Amina"

    # the owner's own history is whole
    own = api_client_for(caseworker_a).get(url(shared_case, "history/")).content.decode()
    for value in HIDDEN:
        assert value in own


@pytest.mark.django_db
def test_a_partner_reads_on_the_history_page_only_what_the_consent_covers(
    shared_case: Case, caseworker_a: User, make_user: Any, agency_b: Agency
) -> None:
    supervisor_b = make_user("supervisor", agency_b)
    response = web_client_for(supervisor_b).get(f"/cases/{shared_case.id}/history/")

    assert response.status_code == 200
    html = response.content.decode()
    # neither the stored codes nor the words the page shows for them
    shown_as = ("Arrested", "The child&#x27;s own statement", "Specialised shelter")
    for value in (*HIDDEN, *HIDDEN_FIELDS, *HIDDEN_KINDS, *shown_as):
        assert value not in html
    assert "Amina → Amira" in html
    assert "Recruited at the bus station." in html

    own = web_client_for(caseworker_a).get(f"/cases/{shared_case.id}/history/").content.decode()
    # the page shows the owner every change in words (labels, not stored codes)
    for value in ("14 Harbour Road", "Hillside shelter room 3", "Arrested", "justice_contact"):
        assert value in own
