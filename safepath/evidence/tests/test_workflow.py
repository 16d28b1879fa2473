"""Releases through the API: draft -> in review -> published/rejected; budget ledger; audit."""

from __future__ import annotations

from decimal import Decimal

import pytest

from safepath.accounts.models import User
from safepath.audit.models import AuditEvent
from safepath.core.exceptions import FieldValidationError
from safepath.evidence.engine.store import AnalysisStore
from safepath.evidence.models import BudgetSpend, PrivacyBudget, Release, ReleaseStatus
from safepath.evidence.services import budget_spend
from safepath.notify.models import Notification
from safepath.testing.fixtures import api_client_for

pytestmark = pytest.mark.django_db

RELEASES = "/api/v1/evidence/releases/"


def _draft(user: User, **body: object) -> dict:
    payload = {
        "source": "vp",
        "by": ["gender", "majorityStatus"],
        "title": "Victims by sex and age",
    }
    response = api_client_for(user).post(RELEASES, {**payload, **body}, format="json")
    assert response.status_code == 201, response.json()
    return response.json()


@pytest.mark.slow
def test_full_workflow_publishes_downloadable_files(
    vp_store: AnalysisStore, coordinator: User, dpo: User
) -> None:
    release = _draft(coordinator)
    assert release["status"] == "draft"
    assert "k = 11" in release["methodology"]
    assert "Rare groups disappear first" in release["methodology"]
    url = f"{RELEASES}{release['id']}/"
    author, officer = api_client_for(coordinator), api_client_for(dpo)
    assert officer.get(url).status_code == 404, "a draft is its author's only"
    assert author.post(f"{url}publish/").status_code == 403, "a draft is not published"
    assert author.post(f"{url}submit/").json()["status"] == "in_review"
    assert author.post(f"{url}review/", {"approve": True}, format="json").status_code == 403
    assert author.post(f"{url}publish/").status_code == 403, "not approved yet"
    assert author.get(f"{url}download/csv/").status_code == 403
    reviewed = officer.post(f"{url}review/", {"approve": True, "note": "ok"}, format="json")
    assert reviewed.json()["approved"] is True
    assert author.post(f"{url}publish/").json()["status"] == "published"
    csv_file = author.get(f"{url}download/csv/")
    assert csv_file.status_code == 200
    assert csv_file["Content-Type"] == "text/csv"
    assert csv_file.content.decode().startswith("gender,majorityStatus,count,suppressed")
    for fmt in ("json", "xlsx", "hxl", "glotip", "methodology"):
        assert officer.get(f"{url}download/{fmt}/").status_code == 200, fmt
    assert author.get(f"{url}download/pdf/").status_code == 404
    events = AuditEvent.objects.filter(object_type="evidence.release", object_id=release["id"])
    actions = [e.details.get("action") or e.action for e in events.order_by("seq")]
    assert actions[:4] == ["create", "submit", "review", "publish"]
    assert events.first().details["by"] == ["gender", "majorityStatus"]


def test_rejection_needs_a_reason_and_is_final(
    vp_store: AnalysisStore, analyst: User, dpo: User
) -> None:
    release = _draft(analyst)
    url = f"{RELEASES}{release['id']}/"
    api_client_for(analyst).post(f"{url}submit/")
    [note] = Notification.objects.filter(recipient=dpo)  # the officer is told
    assert (note.kind, note.link) == ("release_to_review", f"/evidence/releases/{release['id']}/")
    officer = api_client_for(dpo)
    refused = officer.post(f"{url}review/", {"approve": False}, format="json")
    assert refused.status_code == 400
    assert "note" in refused.json()["fields"]
    assert (
        officer.post(f"{url}review/", {"approve": False, "note": "too fine"}, format="json").json()[
            "status"
        ]
        == "rejected"
    )
    assert api_client_for(analyst).post(f"{url}publish/").status_code == 403
    assert Release.objects.get(pk=release["id"]).status == ReleaseStatus.REJECTED


@pytest.mark.slow
def test_dp_release_spends_budget_and_over_budget_is_refused(
    vp_store: AnalysisStore, coordinator: User
) -> None:
    release = _draft(coordinator, epsilon=2.0)
    cell = release["table"]["cells"][0]
    assert cell["noise_scale"] == 0.5
    assert len(cell["ci95"]) == 2
    spend = BudgetSpend.objects.get()
    assert spend.epsilon == Decimal("2.0000")
    assert spend.spent_by == coordinator
    assert str(spend.release_id) == release["id"]
    before = (Release.objects.count(), AuditEvent.objects.count())
    response = api_client_for(coordinator).post(
        RELEASES, {"source": "vp", "by": ["gender"], "epsilon": 3.5}, format="json"
    )
    assert response.status_code == 400
    assert response.json()["fields"]["epsilon"] == [
        "Epsilon 3.5000 would exceed the privacy budget of source 'vp': 3.0000 of 5.0000 remains."
    ]
    assert (Release.objects.count(), AuditEvent.objects.count()) == before
    assert BudgetSpend.objects.count() == 1


def test_bad_table_input_stores_nothing(vp_store: AnalysisStore, coordinator: User) -> None:
    client = api_client_for(coordinator)
    for body, field in (
        ({"by": ["age"]}, "by"),
        ({"by": ["gender"], "k": 1}, "k"),
        ({"by": ["gender"], "epsilon": -1}, "epsilon"),
        ({"by": ["gender"], "where": {"gender": "Woman"}}, "where"),
    ):
        response = client.post(RELEASES, {"source": "vp", **body}, format="json")
        assert response.status_code == 400, body
        assert field in response.json()["fields"], response.json()
    assert Release.objects.count() == 0
    assert BudgetSpend.objects.count() == 0


def test_table_on_demand_and_sources(vp_store: AnalysisStore, analyst: User) -> None:
    client = api_client_for(analyst)
    sources = client.get("/api/v1/evidence/sources/").json()
    assert [s["name"] for s in sources] == ["vp"]
    response = client.post(
        "/api/v1/evidence/tables/",
        {"source": "vp", "by": ["gender"], "epsilon": 0.25},
        format="json",
    )
    assert response.status_code == 200
    assert response.json()["metadata"]["epsilon"] == 0.25
    budget = client.get("/api/v1/evidence/budgets/vp/").json()
    assert budget == {
        "source": "vp",
        "total_epsilon": "5.0000",
        "spent": "0.2500",
        "remaining": "4.7500",
    }


def test_budget_spend_service_refuses_over_budget_atomically(vp_store: AnalysisStore) -> None:
    PrivacyBudget.objects.create(source="vp", total_epsilon=Decimal("1"))
    budget_spend(user=None, source="vp", epsilon=0.75, purpose="test", parameters={})
    with pytest.raises(Exception, match=r"0\.2500 of 1\.0000 remains"):
        budget_spend(user=None, source="vp", epsilon=0.5, purpose="test", parameters={})
    assert PrivacyBudget.objects.get(source="vp").remaining() == Decimal("0.25")


def test_the_exact_remaining_budget_may_be_spent_and_nothing_more(
    vp_store: AnalysisStore,
) -> None:
    PrivacyBudget.objects.create(source="vp", total_epsilon=Decimal("1"))
    budget_spend(user=None, source="vp", epsilon="0.6", purpose="test", parameters={})
    budget_spend(user=None, source="vp", epsilon="0.4", purpose="test", parameters={})
    assert PrivacyBudget.objects.get(source="vp").remaining() == Decimal("0")
    with pytest.raises(FieldValidationError, match=r"0\.0000 of 1\.0000 remains"):
        budget_spend(user=None, source="vp", epsilon="0.0001", purpose="test", parameters={})
    assert BudgetSpend.objects.filter(budget__source="vp").count() == 2


def test_one_epsilon_step_over_the_remaining_budget_is_refused(vp_store: AnalysisStore) -> None:
    PrivacyBudget.objects.create(source="vp", total_epsilon=Decimal("1"))
    budget_spend(user=None, source="vp", epsilon="0.75", purpose="test", parameters={})
    with pytest.raises(FieldValidationError, match=r"0\.2500 of 1\.0000 remains"):
        budget_spend(user=None, source="vp", epsilon="0.2501", purpose="test", parameters={})
    budget_spend(user=None, source="vp", epsilon="0.25", purpose="test", parameters={})
    assert PrivacyBudget.objects.get(source="vp").remaining() == Decimal("0")


@pytest.mark.parametrize("role", ["caseworker_a", "supervisor_a"])
def test_other_roles_get_nothing_and_change_nothing(
    vp_store: AnalysisStore, coordinator: User, role: str, request: pytest.FixtureRequest
) -> None:
    release = _draft(coordinator)
    api_client_for(coordinator).post(f"{RELEASES}{release['id']}/submit/")
    client = api_client_for(request.getfixturevalue(role))
    before = (Release.objects.count(), BudgetSpend.objects.count(), AuditEvent.objects.count())
    assert client.get("/api/v1/evidence/sources/").status_code == 403
    table = {"source": "vp", "by": ["gender"], "epsilon": 1}
    assert client.post("/api/v1/evidence/tables/", table, format="json").status_code == 403
    assert client.post(RELEASES, table, format="json").status_code == 403
    assert client.get(RELEASES).status_code == 403
    assert client.get(f"{RELEASES}{release['id']}/").status_code == 404
    review = {"approve": True}
    assert (
        client.post(f"{RELEASES}{release['id']}/review/", review, format="json").status_code == 404
    )
    assert (
        Release.objects.count(),
        BudgetSpend.objects.count(),
        AuditEvent.objects.count(),
    ) == before
    assert Release.objects.get(pk=release["id"]).status == ReleaseStatus.IN_REVIEW


# Finding 7 of issue 21: counts from 2 to 10 were shown to any of these roles on request.
@pytest.mark.parametrize("role", ["analyst", "coordinator", "dpo"])
def test_a_table_on_demand_never_shows_counts_below_11(
    vp_store: AnalysisStore, role: str, request: pytest.FixtureRequest
) -> None:
    user: User = request.getfixturevalue(role)
    client = api_client_for(user)
    before = AuditEvent.objects.count()
    for k in (2, 10):
        response = client.post(
            "/api/v1/evidence/tables/", {"source": "vp", "by": ["gender"], "k": k}, format="json"
        )
        assert response.status_code == 400, response.json()
        assert "release" in response.json()["fields"]["k"][0]
    assert AuditEvent.objects.count() == before
    shown = client.post(
        "/api/v1/evidence/tables/", {"source": "vp", "by": ["gender"], "k": 11}, format="json"
    )
    assert shown.status_code == 200
    assert all(c["count"] is None or c["count"] >= 11 for c in shown.json()["cells"])


def test_a_release_below_11_shows_its_figures_only_after_review(
    vp_store: AnalysisStore, analyst: User, coordinator: User, dpo: User
) -> None:
    release = _draft(analyst, by=["UN_COO_Region"], k=2)
    assert release["table"] is None
    assert release["table_withheld"] is True
    url = f"{RELEASES}{release['id']}/"
    author, colleague, officer = (api_client_for(u) for u in (analyst, coordinator, dpo))
    assert author.get(url).json()["table"] is None
    author.post(f"{url}submit/")
    assert colleague.get(url).json()["table"] is None, "in review, other drafters see no counts"
    assert author.get(url).json()["table"] is None
    in_review = officer.get(url).json()
    assert in_review["table_withheld"] is False
    assert any(0 < (c["count"] or 0) < 11 for c in in_review["table"]["cells"])
    officer.post(f"{url}review/", {"approve": True, "note": "ok"}, format="json")
    assert colleague.get(url).json()["table"] == in_review["table"]
