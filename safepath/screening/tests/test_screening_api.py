"""Running screenings over the API: records are signed, scoped, audited; bad input names fields."""

from __future__ import annotations

import pytest
from django.db import DatabaseError, connection, transaction

from safepath.accounts.models import User
from safepath.accounts.roles import Role
from safepath.audit.models import AuditEvent
from safepath.screening import signing
from safepath.screening.models import ScreeningConfirmation, ScreeningRecord
from safepath.testing.factories import register_case
from safepath.testing.fixtures import api_client_for

SSCST_YES_TWO = {
    "instrument": "sscst-6",
    "age": 15,
    "answers": {
        "substance_use": "yes",
        "ran_away": "yes",
        "police_contact": "no",
        "sti": "no",
        "many_partners": "no",
        "serious_injury": "no",
    },
}


@pytest.mark.django_db
def test_instruments_are_listed_and_described(caseworker_a: User) -> None:
    client = api_client_for(caseworker_a)
    listed = client.get("/api/v1/screening-instruments/").json()
    assert "sscst-6" in [row["id"] for row in listed]
    one = client.get("/api/v1/screening-instruments/sscst-6/").json()
    assert one["scoring"]["threshold"] == 2
    assert [item["id"] for item in one["items"]][:2] == ["substance_use", "ran_away"]
    assert client.get("/api/v1/screening-instruments/nope/").status_code == 404


@pytest.mark.django_db
def test_a_screening_is_scored_signed_and_audited(caseworker_a: User) -> None:
    response = api_client_for(caseworker_a).post(
        "/api/v1/screenings/", {**SSCST_YES_TWO, "context": {"setting": "health"}}, format="json"
    )
    assert response.status_code == 201, response.content
    data = response.json()
    assert data["result"]["outcome"] == "possible_victim"
    assert data["result"]["observed"] == ["substance_use", "ran_away"]
    assert data["instrument_version"] == "2018.1"
    record = ScreeningRecord.objects.get()
    assert signing.verify(record)
    assert record.outcome == "possible_victim"
    event = AuditEvent.objects.get(object_type="screening")
    assert event.details == {"instrument": "sscst-6", "outcome": "possible_victim"}


@pytest.mark.django_db
def test_an_altered_record_no_longer_verifies(caseworker_a: User) -> None:
    api_client_for(caseworker_a).post("/api/v1/screenings/", SSCST_YES_TWO, format="json")
    record = ScreeningRecord.objects.get()
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":  # the trigger refuses; an intruder disables it
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")  # settle deferred FK checks first
            cursor.execute(
                "ALTER TABLE screening_screeningrecord DISABLE TRIGGER screening_record_immutable"
            )
        cursor.execute("UPDATE screening_screeningrecord SET outcome = 'no_indicators'")
        if connection.vendor == "postgresql":
            cursor.execute(
                "ALTER TABLE screening_screeningrecord ENABLE TRIGGER screening_record_immutable"
            )
    record.refresh_from_db()
    assert not signing.verify(record)


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the trigger is PostgreSQL's")
@pytest.mark.django_db
def test_postgresql_refuses_to_change_a_record(caseworker_a: User) -> None:
    api_client_for(caseworker_a).post("/api/v1/screenings/", SSCST_YES_TWO, format="json")
    with pytest.raises(DatabaseError, match="immutable"), transaction.atomic():
        ScreeningRecord.objects.update(outcome="no_indicators")
    assert ScreeningRecord.objects.get().outcome == "possible_victim"


@pytest.mark.django_db
def test_non_punishment_notice_when_police_screen(make_user, police_agency) -> None:  # type: ignore[no-untyped-def]
    officer = make_user(Role.LAW_ENFORCEMENT, police_agency)
    response = api_client_for(officer).post(
        "/api/v1/screenings/",
        {**SSCST_YES_TWO, "context": {"setting": "law_enforcement"}},
        format="json",
    )
    notices = [n["code"] for n in response.json()["result"]["notices"]]
    assert notices == ["non_punishment"]
    assert ScreeningRecord.objects.get().non_punishment_notice


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"answers": {"nope": "yes"}}, "answers.nope"),
        ({"answers": {"sti": "maybe"}}, "answers.sti"),
        ({"instrument": "made-up"}, "instrument"),
        ({"context": {"setting": "moon"}}, "context.setting"),
        ({"age": -3}, "age"),
    ],
)
def test_bad_input_names_the_field(
    caseworker_a: User, change: dict[str, object], field: str
) -> None:
    response = api_client_for(caseworker_a).post(
        "/api/v1/screenings/", {**SSCST_YES_TWO, **change}, format="json"
    )
    assert response.status_code == 400, response.content
    assert field in response.json()["fields"]
    assert ScreeningRecord.objects.count() == 0


@pytest.mark.django_db
def test_missing_age_is_refused_but_null_age_is_presumed_minor(caseworker_a: User) -> None:
    client = api_client_for(caseworker_a)
    body = {k: v for k, v in SSCST_YES_TWO.items() if k != "age"}
    assert client.post("/api/v1/screenings/", body, format="json").status_code == 400
    ok = client.post("/api/v1/screenings/", {**body, "age": None}, format="json")
    assert ok.status_code == 201
    assert ok.json()["result"]["warnings"][0]["code"] == "age_unknown"


@pytest.mark.django_db
def test_linking_to_a_case_needs_the_right_to_edit_it(
    caseworker_a: User, caseworker_b: User
) -> None:
    mine, theirs = register_case(caseworker_a), register_case(caseworker_b)
    client = api_client_for(caseworker_a)
    linked = client.post(
        "/api/v1/screenings/", {**SSCST_YES_TWO, "case": str(mine.id)}, format="json"
    )
    assert linked.status_code == 201
    assert linked.json()["case"] == str(mine.id)
    refused = client.post(
        "/api/v1/screenings/", {**SSCST_YES_TWO, "case": str(theirs.id)}, format="json"
    )
    assert refused.status_code == 404
    assert ScreeningRecord.objects.count() == 1


@pytest.mark.django_db
def test_who_sees_a_screening(
    caseworker_a: User, supervisor_a: User, caseworker_b: User, make_user, coordination
) -> None:  # type: ignore[no-untyped-def]
    screening_id = (
        api_client_for(caseworker_a)
        .post("/api/v1/screenings/", SSCST_YES_TWO, format="json")
        .json()["id"]
    )
    url = f"/api/v1/screenings/{screening_id}/"
    coordinator = make_user(Role.COORDINATOR, coordination)
    assert api_client_for(caseworker_a).get(url).status_code == 200
    assert api_client_for(supervisor_a).get(url).status_code == 200
    assert api_client_for(caseworker_b).get(url).status_code == 404
    assert api_client_for(coordinator).get(url).status_code == 404
    colleague = make_user(Role.CASEWORKER, caseworker_a.agency)
    assert api_client_for(colleague).get(url).status_code == 404


@pytest.mark.django_db
def test_supervisor_confirms_once(caseworker_a: User, supervisor_a: User) -> None:
    screening_id = (
        api_client_for(caseworker_a)
        .post("/api/v1/screenings/", SSCST_YES_TWO, format="json")
        .json()["id"]
    )
    url = f"/api/v1/screenings/{screening_id}/confirmation/"
    body = {"confirmed_victim": True, "basis": "formal identification by the NRM"}
    assert api_client_for(caseworker_a).post(url, body, format="json").status_code == 403
    assert api_client_for(supervisor_a).post(url, body, format="json").status_code == 201
    again = api_client_for(supervisor_a).post(url, body, format="json")
    assert again.status_code == 400
    assert ScreeningConfirmation.objects.get().confirmed_victim is True


@pytest.mark.django_db
def test_roles_without_frontline_work_do_not_run_screenings(make_user, coordination) -> None:  # type: ignore[no-untyped-def]
    analyst = make_user(Role.ANALYST, coordination)
    response = api_client_for(analyst).post("/api/v1/screenings/", SSCST_YES_TWO, format="json")
    assert response.status_code == 403
    assert ScreeningRecord.objects.count() == 0


@pytest.mark.django_db
def test_performance_from_confirmed_screens_beside_the_papers(
    caseworker_a: User,
    supervisor_a: User,
    make_user,
    coordination,  # type: ignore[no-untyped-def]
) -> None:
    worker = api_client_for(caseworker_a)
    boss = api_client_for(supervisor_a)
    negative = {**SSCST_YES_TWO, "answers": dict.fromkeys(SSCST_YES_TWO["answers"], "no")}
    # 3 screened positive (2 confirmed victims), 2 screened negative (1 confirmed victim)
    for body, victim in [
        (SSCST_YES_TWO, True),
        (SSCST_YES_TWO, True),
        (SSCST_YES_TWO, False),
        (negative, True),
        (negative, False),
    ]:
        screening_id = worker.post("/api/v1/screenings/", body, format="json").json()["id"]
        boss.post(
            f"/api/v1/screenings/{screening_id}/confirmation/",
            {"confirmed_victim": victim, "basis": "NRM decision"},
            format="json",
        )
    coordinator = api_client_for(make_user(Role.COORDINATOR, coordination))
    national = coordinator.get("/api/v1/screening-instruments/sscst-6/performance/").json()
    assert national["scope"] == "national"
    assert (national["withheld"], national["local"]) == (True, None)  # cells below 11
    assert national["published"][0] == {
        "study": "Greenbaum et al. 2018, Pediatr Emerg Care (derivation)",
        "population": "108 patients aged 12-18 in 3 paediatric emergency departments and a "
        "child-protection clinic",
        "n": 108,
    }
    report = boss.get("/api/v1/screening-instruments/sscst-6/performance/").json()
    assert report["scope"] == "agency"
    assert report["withheld"] is False
    assert report["local"]["table"] == {"tp": 2, "fn": 1, "fp": 1, "tn": 1}
    assert report["local"]["sensitivity"]["value"] == pytest.approx(2 / 3)
    assert len(report["published"]) == 4
    assert worker.get("/api/v1/screening-instruments/sscst-6/performance/").status_code == 403


@pytest.mark.django_db
def test_finishing_the_same_interview_twice_keeps_one_record(caseworker_a: User) -> None:
    import uuid

    from safepath.screening.services import screening_record

    interview = uuid.uuid4()
    submission = {k: v for k, v in SSCST_YES_TWO.items() if k != "instrument"}
    first = screening_record(
        user=caseworker_a,
        instrument_id="sscst-6",
        submission=submission,
        case=None,
        channel="web",
        interview_id=interview,
    )
    again = screening_record(
        user=caseworker_a,
        instrument_id="sscst-6",
        submission=submission,
        case=None,
        channel="web",
        interview_id=interview,
    )
    assert again.pk == first.pk
    assert ScreeningRecord.objects.count() == 1
    assert AuditEvent.objects.filter(object_type="screening", action="create").count() == 1


def test_a_partner_reads_a_linked_screening_only_under_a_consent_covering_case_facts(
    caseworker_a: User,
    make_user,
    agency_b,  # type: ignore[no-untyped-def]
) -> None:
    """Issue 21: a screening linked to a shared case is read through the category map (its
    answers and result are case facts), not handed to every holder of the case."""
    from django.utils import timezone

    from safepath.cases.services import case_share, consent_record

    case = register_case(caseworker_a)
    created = api_client_for(caseworker_a).post(
        "/api/v1/screenings/", {**SSCST_YES_TWO, "case": str(case.id)}, format="json"
    )
    url = f"/api/v1/screenings/{created.json()['id']}/"
    supervisor_b = make_user("supervisor", agency_b)

    def share(categories: list[str]) -> None:
        consent = consent_record(
            user=caseworker_a,
            case=case,
            given_by="guardian",
            purpose="sharing",
            data_scope="as ticked",
            data_categories=categories,
            recipient_agency=agency_b,
            given_on=timezone.localdate(),
            expires_on=None,
            channel="api",
        )
        case_share(user=caseworker_a, case=case, agency=agency_b, consent=consent, channel="api")

    share(["identity"])
    assert api_client_for(supervisor_b).get(f"/api/v1/cases/{case.id}/").status_code == 200
    assert api_client_for(supervisor_b).get(url).status_code == 404
    case.shares.update(revoked_at=timezone.now())
    share(["identity", "case_facts"])
    assert api_client_for(supervisor_b).get(url).status_code == 200
