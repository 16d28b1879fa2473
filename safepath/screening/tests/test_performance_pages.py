"""What became of a person screened (the result page's form) and how the tools perform here."""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest

from safepath.accounts.models import Agency, User
from safepath.accounts.roles import Role
from safepath.audit.models import AuditEvent, Channel
from safepath.screening.models import ScreeningConfirmation, ScreeningRecord
from safepath.screening.services import screening_record
from safepath.testing.fixtures import web_client_for

POSITIVE = ["yes", "yes", "no", "no", "no", "no"]  # two yes: possible victim
NEGATIVE = ["no"] * 6
UNKNOWN = ["unknown"] * 6  # not enough information
ITEMS = ["substance_use", "ran_away", "police_contact", "sti", "many_partners", "serious_injury"]


def _screen(user: User, answers: list[str]) -> ScreeningRecord:
    return screening_record(
        user=user,
        instrument_id="sscst-6",
        submission={
            "age": 15,
            "answers": dict(zip(ITEMS, answers, strict=True)),
            "context": {"setting": "health"},
        },
        case=None,
        channel=Channel.API,
    )


def _messages(html: str) -> list[str]:
    found = re.search(r'<div class="messages" role="status"><ul>(.*?)</ul>', html, re.S)
    return re.findall(r"<li>(.*?)</li>", found[1]) if found else []


def _cell(html: str, testid: str) -> str:
    found = re.search(rf'data-testid="{re.escape(testid)}"[^>]*>([^<]*)<', html)
    assert found, testid
    return found[1]


def _updates(record: ScreeningRecord) -> int:
    return AuditEvent.objects.filter(
        object_type="screening", object_id=str(record.id), action="update"
    ).count()


# --- what became of this person --------------------------------------------------------------


@pytest.mark.django_db
def test_a_supervisor_confirms_through_the_form_once(
    caseworker_a: User, supervisor_a: User
) -> None:
    record = _screen(caseworker_a, POSITIVE)
    client = web_client_for(supervisor_a)
    page = client.get(f"/screening/{record.id}/").content.decode()
    assert "What became of this person?" in page
    assert f'action="/screening/{record.id}/confirm/"' in page
    assert 'name="confirmed_victim"' in page
    assert 'maxlength="200"' in page

    response = client.post(
        f"/screening/{record.id}/confirm/",
        {"confirmed_victim": "yes", "basis": "NRM decision of 3 March"},
    )

    assert response.status_code == 302
    assert response["Location"] == f"/screening/{record.id}/"
    confirmation = ScreeningConfirmation.objects.get(screening=record)
    assert confirmation.confirmed_victim is True
    assert confirmation.basis == "NRM decision of 3 March"
    assert confirmation.confirmed_by == supervisor_a
    event = AuditEvent.objects.get(
        object_type="screening", object_id=str(record.id), action="update"
    )
    assert event.actor_id == supervisor_a.id
    assert event.channel == Channel.WEB
    assert event.details == {"confirmed": True}
    shown = client.get(response["Location"]).content.decode()
    assert _messages(shown) == ["What became of this person is recorded. Thank you."]
    assert 'data-testid="confirmation"' in shown
    assert "NRM decision of 3 March" in shown
    assert (supervisor_a.get_full_name() or supervisor_a.username) in shown
    assert 'data-testid="confirm-form"' not in shown

    again = client.post(
        f"/screening/{record.id}/confirm/", {"confirmed_victim": "no", "basis": "Changed mind"}
    )

    assert again.status_code == 302
    assert _messages(client.get(again["Location"]).content.decode()) == [
        "This screening is already confirmed."
    ]
    confirmation.refresh_from_db()
    assert confirmation.confirmed_victim is True
    assert confirmation.basis == "NRM decision of 3 March"
    assert ScreeningConfirmation.objects.count() == 1
    assert _updates(record) == 1


@pytest.mark.django_db
def test_an_incomplete_confirmation_is_shown_again_and_nothing_is_written(
    caseworker_a: User, supervisor_a: User
) -> None:
    record = _screen(caseworker_a, POSITIVE)
    client = web_client_for(supervisor_a)

    empty = client.post(f"/screening/{record.id}/confirm/", {"basis": "   "})
    too_long = client.post(
        f"/screening/{record.id}/confirm/", {"confirmed_victim": "no", "basis": "x" * 201}
    )

    assert empty.status_code == 400
    html = empty.content.decode()
    assert "Choose yes or no." in html
    assert "Give the basis of the decision." in html
    assert too_long.status_code == 400
    assert 'value="no"' in too_long.content.decode()
    assert not ScreeningConfirmation.objects.exists()
    assert _updates(record) == 0


@pytest.mark.django_db
def test_a_caseworker_sees_no_form_and_is_refused(caseworker_a: User) -> None:
    record = _screen(caseworker_a, POSITIVE)
    client = web_client_for(caseworker_a)
    page = client.get(f"/screening/{record.id}/")
    assert page.status_code == 200
    assert "What became of this person" not in page.content.decode()

    refused = client.post(
        f"/screening/{record.id}/confirm/", {"confirmed_victim": "yes", "basis": "NRM decision"}
    )

    assert refused.status_code == 403
    assert "You may read this screening but not do this to it." in refused.content.decode()
    assert not ScreeningConfirmation.objects.exists()
    assert _updates(record) == 0


@pytest.mark.django_db
def test_a_supervisor_of_another_agency_finds_nothing(
    caseworker_a: User, make_user: Callable[..., User], agency_b: Agency
) -> None:
    record = _screen(caseworker_a, POSITIVE)
    client = web_client_for(make_user(Role.SUPERVISOR, agency_b))

    assert client.get(f"/screening/{record.id}/").status_code == 404
    refused = client.post(
        f"/screening/{record.id}/confirm/", {"confirmed_victim": "yes", "basis": "NRM decision"}
    )

    assert refused.status_code == 404
    assert not ScreeningConfirmation.objects.exists()
    assert _updates(record) == 0


@pytest.mark.django_db
def test_confirm_takes_post_only(caseworker_a: User, supervisor_a: User) -> None:
    record = _screen(caseworker_a, POSITIVE)
    response = web_client_for(supervisor_a).get(f"/screening/{record.id}/confirm/")
    assert response.status_code == 405


# --- how the tools perform ---------------------------------------------------------------------


@pytest.mark.django_db
def test_the_performance_page_counts_confirmed_screens(
    caseworker_a: User,
    supervisor_a: User,
    make_user: Callable[..., User],
    coordination: Agency,
) -> None:
    boss = web_client_for(supervisor_a)
    # 3 screened positive (2 confirmed victims), 2 negative (1 confirmed victim), 1 not enough
    # information (left out of the table), 1 positive never confirmed (not counted).
    for answers, victim in [
        (POSITIVE, "yes"),
        (POSITIVE, "yes"),
        (POSITIVE, "no"),
        (NEGATIVE, "yes"),
        (NEGATIVE, "no"),
        (UNKNOWN, "yes"),
    ]:
        record = _screen(caseworker_a, answers)
        confirmed = boss.post(
            f"/screening/{record.id}/confirm/", {"confirmed_victim": victim, "basis": "NRM"}
        )
        assert confirmed.status_code == 302
    _screen(caseworker_a, POSITIVE)

    national = web_client_for(make_user(Role.COORDINATOR, coordination)).get(
        "/screening/performance/"
    )
    assert national.status_code == 200
    national_html = national.content.decode()
    assert "Scope: national." in national_html
    # counts below 11 could point at a child: the coordinator sees them withheld
    assert 'data-testid="sscst-6-withheld"' in national_html
    assert 'data-testid="sscst-6-tp"' not in national_html

    response = boss.get("/screening/performance/")  # the supervisor: their own agency, exact
    html = response.content.decode()
    assert 'data-testid="no-confirmed"' not in html
    assert [_cell(html, f"sscst-6-{cell}") for cell in ("tp", "fp", "fn", "tn")] == [
        "2",
        "1",
        "1",
        "1",
    ]
    assert _cell(html, "sscst-6-confirmed") == "6"
    assert _cell(html, "sscst-6-excluded") == "1"
    sensitivity = re.search(r'data-testid="sscst-6-sensitivity">(.*?)</tr>', html, re.S)
    assert sensitivity
    assert "66.7%" in sensitivity[1]
    assert "20.8% to 93.9%" in sensitivity[1]
    assert "2 of 3" in sensitivity[1]
    assert "Greenbaum et al. 2018, Pediatr Emerg Care (derivation)" in html
    assert "Inside the local interval" in html
    assert _cell(html, "qyit-4-confirmed") == "0"

    assert "Scope: your agency (Agency A)." in html


@pytest.mark.django_db
def test_the_performance_page_says_when_nothing_is_confirmed(
    caseworker_a: User, make_user: Callable[..., User], coordination: Agency
) -> None:
    _screen(caseworker_a, POSITIVE)  # run, never confirmed
    analyst = web_client_for(make_user(Role.ANALYST, coordination))

    html = analyst.get("/screening/performance/").content.decode()

    assert "There are no confirmed screens yet" in html
    assert _cell(html, "sscst-6-confirmed") == "0"
    assert 'data-testid="sscst-6-tp"' not in html


@pytest.mark.django_db
def test_the_performance_page_is_linked_for_monitors_and_not_found_for_others(
    caseworker_a: User,
    supervisor_a: User,
    make_user: Callable[..., User],
    coordination: Agency,
) -> None:
    link = 'href="/screening/performance/"'
    coordinator = web_client_for(make_user(Role.COORDINATOR, coordination))
    assert link in coordinator.get("/").content.decode()
    boss = web_client_for(supervisor_a)
    assert link in boss.get("/").content.decode()
    assert link in boss.get("/screening/").content.decode()

    worker = web_client_for(caseworker_a)
    assert worker.get("/screening/performance/").status_code == 404
    assert link not in worker.get("/").content.decode()
    assert link not in worker.get("/screening/").content.decode()
