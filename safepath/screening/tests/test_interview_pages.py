"""The web interview of a screening, through Django's client: steps, session, scope, result."""

from __future__ import annotations

import json
import re
from collections.abc import Callable

import pytest
from django.test import Client

from safepath.accounts.models import Agency, User
from safepath.accounts.roles import Role
from safepath.audit.models import AuditEvent
from safepath.screening import instruments
from safepath.screening.models import ScreeningRecord
from safepath.screening.views.common import SESSION_KEY
from safepath.screening.views.interview import SESSION_CONTEXT
from safepath.testing.factories import register_case
from safepath.testing.fixtures import web_client_for

SSCST = instruments.get("sscst-6")
ANSWERS = ["yes", "yes", "no", "no", "no", "no"]  # two yes: screen positive
RUN = re.compile(r"^/screening/run/(?P<id>[0-9a-f-]{36})/1/$")


def _start(client: Client, **fields: str) -> str:
    """Give the context of an sscst-6 screen; the interview's URL prefix."""
    response = client.post("/screening/new/sscst-6/", {"age": "15", "setting": "health", **fields})
    assert response.status_code == 302, response.content.decode()
    match = RUN.match(response["Location"])
    assert match, response["Location"]
    return f"/screening/run/{match['id']}/"


def _answer_all(client: Client, run: str, answers: list[str]) -> None:
    for number, answer in enumerate(answers, start=1):
        response = client.post(f"{run}{number}/", {"answer": answer})
        expected = f"{run}{number + 1}/" if number < len(answers) else f"{run}check/"
        assert response.status_code == 302
        assert response["Location"] == expected


@pytest.mark.django_db
def test_a_full_sscst6_run_records_one_screening_with_the_right_outcome(
    caseworker_a: User,
) -> None:
    client = web_client_for(caseworker_a)
    chooser = client.get("/screening/")
    assert chooser.status_code == 200
    assert 'href="/screening/new/sscst-6/"' in chooser.content.decode()
    start = client.get("/screening/new/sscst-6/")
    assert start.status_code == 200
    assert 'name="act_recorded"' not in start.content.decode()  # asked for the ILO lists only

    run = _start(client)
    first = client.get(f"{run}1/").content.decode()
    assert "Question 1 of 6" in first
    assert '<progress max="6" value="1"' in first
    assert SSCST.items[0].text in first
    assert 'id="question-heading" tabindex="-1" autofocus' in first
    _answer_all(client, run, ANSWERS)
    check = client.get(f"{run}check/").content.decode()
    assert "Yes: 2 · No: 4 · Not known: 0" in check
    assert ScreeningRecord.objects.count() == 0  # nothing is kept before Finish

    finished = client.post(f"{run}check/", {"finish": "1"})

    record = ScreeningRecord.objects.get()
    assert finished.status_code == 302
    assert finished["Location"] == f"/screening/{record.id}/"
    assert record.outcome == "possible_victim"
    assert record.urgency == "within_24_hours"
    assert record.setting == "health"
    assert record.age == 15
    assert record.answers == dict(zip([item.id for item in SSCST.items], ANSWERS, strict=True))
    result = client.get(finished["Location"])
    html = result.content.decode()
    assert result.status_code == 200
    assert "Possible victim: assess further" in html
    assert "Within 24 hours" in html
    assert "2 of 6 answered yes" in html
    assert record.signature[:4] in html
    assert "verified: unchanged since it was saved" in html
    assert 'role="alert"' not in html  # no non-punishment notice in a health setting
    assert AuditEvent.objects.filter(object_type="screening", action="read").count() == 1

    again = client.post(f"{run}check/", {"finish": "1"})  # a second press of Finish
    assert again["Location"] == finished["Location"]
    assert ScreeningRecord.objects.count() == 1


@pytest.mark.django_db
def test_back_and_change_an_answer(caseworker_a: User) -> None:
    client = web_client_for(caseworker_a)
    run = _start(client)
    client.post(f"{run}1/", {"answer": "yes"})
    second = client.get(f"{run}2/").content.decode()
    assert f'href="{run}1/"' in second  # Back leads to the first question
    back = client.get(f"{run}1/").content.decode()
    assert re.search(r'value="yes"[^>]*checked', back), "the answer given is shown again"
    client.post(f"{run}1/", {"answer": "no"})
    _answer_all(client, run, ["no", "yes", "no", "no", "no", "no"])

    # From the check page, "Change" comes back to it.
    check = client.get(f"{run}check/").content.decode()
    assert f'href="{run}3/?next=summary"' in check
    changed = client.post(f"{run}3/", {"answer": "yes", "next": "summary"})
    assert changed["Location"] == f"{run}check/"
    client.post(f"{run}check/", {"finish": "1"})

    record = ScreeningRecord.objects.get()
    assert record.answers["substance_use"] == "no"
    assert record.answers["ran_away"] == "yes"
    assert record.answers["police_contact"] == "yes"
    assert record.outcome == "possible_victim"


@pytest.mark.django_db
def test_skip_records_not_known_and_no_choice_is_refused(caseworker_a: User) -> None:
    client = web_client_for(caseworker_a)
    run = _start(client)
    refused = client.post(f"{run}1/", {})
    assert refused.status_code == 400
    assert "Choose yes, no or not known, or press Skip." in refused.content.decode()
    skipped = client.post(f"{run}1/", {"skip": "1"})
    assert skipped["Location"] == f"{run}2/"
    for number in range(2, 7):
        client.post(f"{run}{number}/", {"skip": "1"})
    client.post(f"{run}check/", {"finish": "1"})

    record = ScreeningRecord.objects.get()
    assert set(record.answers.values()) == {"unknown"}
    assert record.outcome == "insufficient_information"
    html = client.get(f"/screening/{record.id}/").content.decode()
    assert "Not enough information" in html
    assert "Answers not known that could change the outcome" in html


@pytest.mark.django_db
def test_the_context_is_checked_and_a_case_of_another_agency_is_not_found(
    caseworker_a: User, caseworker_b: User
) -> None:
    client = web_client_for(caseworker_a)
    missing_age = client.post("/screening/new/sscst-6/", {"setting": "health"})
    assert missing_age.status_code == 400
    assert "Give the age in years" in missing_age.content.decode()
    other = register_case(caseworker_b)
    foreign = client.post(
        "/screening/new/sscst-6/",
        {"age_unknown": "on", "setting": "school", "case_reference": other.reference},
    )
    assert foreign.status_code == 400
    assert "no case with this number" in foreign.content.decode()
    assert SESSION_KEY not in client.session or not client.session[SESSION_KEY]

    own = register_case(caseworker_a)
    run = _start(client, case_reference=own.reference.lower())
    _answer_all(client, run, ANSWERS)
    client.post(f"{run}check/", {"finish": "1"})
    record = ScreeningRecord.objects.get()
    assert record.case == own
    assert record.age == 15
    assert f'href="/cases/{own.id}/"' in client.get(f"/screening/{record.id}/").content.decode()


@pytest.mark.django_db
def test_law_enforcement_with_two_yes_shows_the_non_punishment_notice(
    caseworker_a: User,
) -> None:
    client = web_client_for(caseworker_a)
    run = _start(client, setting="law_enforcement", age="", age_unknown="on")
    _answer_all(client, run, ANSWERS)
    client.post(f"{run}check/", {"finish": "1"})
    record = ScreeningRecord.objects.get()
    assert record.non_punishment_notice
    html = client.get(f"/screening/{record.id}/").content.decode()
    assert 'role="alert" data-testid="non-punishment"' in html
    assert "Do not arrest, charge, detain or penalise" in html
    assert "The age is not known, so read the result with care." in html


@pytest.mark.django_db
def test_a_role_that_does_not_run_screenings_finds_nothing(
    make_user: Callable[..., User], coordination: Agency
) -> None:
    coordinator = make_user(Role.COORDINATOR, coordination)
    client = web_client_for(coordinator)
    assert client.get("/screening/").status_code == 404
    assert client.get("/screening/new/sscst-6/").status_code == 404
    assert (
        client.post("/screening/new/sscst-6/", {"age": "12", "setting": "school"}).status_code
        == 404
    )
    assert 'href="/screening/"' not in client.get("/").content.decode()
    assert ScreeningRecord.objects.count() == 0


@pytest.mark.django_db
def test_another_agency_cannot_open_the_result(caseworker_a: User, caseworker_b: User) -> None:
    client = web_client_for(caseworker_a)
    run = _start(client)
    _answer_all(client, run, ANSWERS)
    result = client.post(f"{run}check/", {"finish": "1"})["Location"]
    assert client.get(result).status_code == 200

    assert web_client_for(caseworker_b).get(result).status_code == 404
    assert not AuditEvent.objects.filter(
        object_type="screening", action="read", actor_id=caseworker_b.id
    ).exists()


@pytest.mark.django_db
def test_the_session_holds_answers_by_item_id_and_no_names(caseworker_a: User) -> None:
    case = register_case(caseworker_a, given_name="Zawadi", family_name="Sessiontest")
    client = web_client_for(caseworker_a)
    run = _start(client, case_reference=case.reference)
    client.post(f"{run}1/", {"answer": "yes"})

    stored = client.session[SESSION_KEY]
    assert stored.startswith("v1:")  # encrypted, like a saved screening's answers
    from safepath.core import crypto

    (interview,) = json.loads(crypto.decrypt(stored, context=SESSION_CONTEXT)).values()
    assert interview["answers"] == {"substance_use": "yes"}
    assert interview["case"] == str(case.id)
    text = json.dumps(dict(client.session.items()))
    for name in ("Zawadi", "Sessiontest", caseworker_a.username):
        assert name not in text


@pytest.fixture
def ilo_list(monkeypatch: pytest.MonkeyPatch) -> instruments.Instrument:
    """A synthetic ILO-style list (72 indicators, six dimensions) shipped beside the real ones."""
    from safepath.screening.tests.factories import ilo

    listed = ilo(adult=True)
    shipped = {**instruments.catalogue(), listed.id: listed}
    monkeypatch.setattr(instruments, "catalogue", lambda: shipped)
    return listed


@pytest.mark.django_db
def test_an_ilo_list_asks_for_the_act_and_reports_each_dimension(
    caseworker_a: User, ilo_list: instruments.Instrument
) -> None:
    client = web_client_for(caseworker_a)
    assert "/screening/new/test-ilo/" in client.get("/screening/").content.decode()
    start = client.get("/screening/new/test-ilo/").content.decode()
    assert 'name="act_recorded"' in start
    response = client.post(
        "/screening/new/test-ilo/",
        {"age_unknown": "on", "setting": "shelter", "act_recorded": "yes"},
    )
    run = response["Location"].removesuffix("1/")
    total = len(ilo_list.items)
    exploitation = {item.id for item in ilo_list.items_in("D4") if item.strength == "strong"}
    chosen = sorted(exploitation)[:2]
    for number, item in enumerate(ilo_list.items, start=1):
        page = client.post(f"{run}{number}/", {"answer": "yes" if item.id in chosen else "no"})
        assert page.status_code == 302
    check = client.get(f"{run}check/").content.decode()
    assert check.count("<h3>Dimension D") == 6
    assert f"Yes: 2 · No: {total - 2} · Not known: 0" in check

    client.post(f"{run}check/", {"finish": "1"})
    record = ScreeningRecord.objects.get()
    assert record.outcome == "presumed_victim"
    assert record.act_recorded is True
    html = client.get(f"/screening/{record.id}/").content.decode()
    assert "Presumed victim: refer for formal identification" in html
    assert "Indicators observed: 2 strong, 0 medium, 0 weak" in html
    assert html.count('data-testid="dimension"') == 6
    assert "Presumption of minority" in html
    assert "read the result with care" not in html  # this made-up list has no validated ages
    assert 'role="alert"' not in html  # a shelter is not a justice setting


@pytest.mark.django_db
def test_a_question_without_a_translation_is_shown_in_english_and_says_so(
    caseworker_a: User, ilo_list: instruments.Instrument
) -> None:
    client = web_client_for(caseworker_a)
    client.cookies["django_language"] = "ar"
    response = client.post(
        f"/screening/new/{ilo_list.id}/", {"age": "30", "setting": "shelter", "act_recorded": "yes"}
    )
    question = client.get(response["Location"]).content.decode()
    first = ilo_list.items[0]
    assert f'lang="en" dir="ltr">{first.text}</h1>' in question
    assert "لم يُترجَم هذا السؤال بعد." in question
