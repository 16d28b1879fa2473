"""A positive screening result leads on: "refer now" for a child with a case, "open a case" for
one without; the referral form then starts from the result (urgency, outcome, pathways)."""

from __future__ import annotations

import re

import pytest
from django.utils import timezone

from safepath.accounts.models import User
from safepath.audit.models import Channel
from safepath.cases.models import Case
from safepath.screening.models import ScreeningRecord
from safepath.screening.services import screening_record
from safepath.testing.factories import register_case
from safepath.testing.fixtures import web_client_for

ITEMS = ["substance_use", "ran_away", "police_contact", "sti", "many_partners", "serious_injury"]
POSITIVE = ["yes", "yes", "no", "no", "no", "no"]  # possible victim, within 24 hours
NEGATIVE = ["no"] * 6


def _screen(user: User, answers: list[str], case: Case | None = None) -> ScreeningRecord:
    return screening_record(
        user=user,
        instrument_id="sscst-6",
        submission={
            "age": 15,
            "answers": dict(zip(ITEMS, answers, strict=True)),
            "context": {"setting": "health"},
        },
        case=case,
        channel=Channel.API,
    )


def _selected(html: str, name: str) -> str:
    select = re.search(rf'<select name="{name}".*?</select>', html, re.S)
    assert select, name
    chosen = re.search(r'<option value="([^"]*)"[^>]*selected', select[0])
    return chosen[1] if chosen else ""


@pytest.mark.django_db
def test_refer_now_from_a_positive_result_carries_it_into_the_referral_form(
    caseworker_a: User,
) -> None:
    case = register_case(caseworker_a)
    record = _screen(caseworker_a, POSITIVE, case)
    client = web_client_for(caseworker_a)
    result = client.get(f"/screening/{record.id}/").content.decode()
    link = f'href="/referrals/new/{case.id}/?screening={record.id}"'
    assert link in result
    assert "Open a case" not in result

    form = client.get(f"/referrals/new/{case.id}/?screening={record.id}").content.decode()
    assert 'data-testid="screening-carried"' in form
    assert "Possible victim: assess further" in form
    assert _selected(form, "urgency") == "high"  # "within 24 hours"
    reason = re.search(r'<textarea name="reason"[^>]*>(.*?)</textarea>', form, re.S)
    assert reason
    assert "Possible victim" in reason[1]


@pytest.mark.django_db
def test_open_a_case_from_a_result_then_refer_now_from_the_new_case(caseworker_a: User) -> None:
    record = _screen(caseworker_a, POSITIVE)
    client = web_client_for(caseworker_a)
    result = client.get(f"/screening/{record.id}/").content.decode()
    assert f'href="/cases/new/?screening={record.id}"' in result

    page = client.get(f"/cases/new/?screening={record.id}").content.decode()
    assert 'data-testid="from-screening"' in page
    registered = client.post(
        f"/cases/new/?screening={record.id}",
        {
            "given_name": "Imani",
            "family_name": "Screenday",
            "sex": "female",
            "date_of_birth": "2011-02-03",
            "nationality": "KE",
            "identified_on": str(timezone.localdate()),
            "forms_of_exploitation": ["begging"],
        },
    )
    assert registered.status_code == 302, registered.content.decode()[-2000:]
    case = Case.objects.get()
    assert registered.status_code == 302
    assert registered["Location"] == f"/cases/{case.id}/?screening={record.id}"
    detail = client.get(registered["Location"]).content.decode()
    assert 'data-testid="refer-from-screening"' in detail
    assert f'href="/referrals/new/{case.id}/?screening={record.id}"' in detail
    form = client.get(f"/referrals/new/{case.id}/?screening={record.id}").content.decode()
    assert 'data-testid="screening-carried"' in form


@pytest.mark.django_db
def test_nothing_is_carried_from_a_negative_a_foreign_or_another_cases_screening(
    caseworker_a: User, caseworker_b: User
) -> None:
    case = register_case(caseworker_a)
    other_case = register_case(caseworker_a, given_name="Other")
    negative = _screen(caseworker_a, NEGATIVE, case)
    foreign = _screen(caseworker_b, POSITIVE)
    elsewhere = _screen(caseworker_a, POSITIVE, other_case)
    client = web_client_for(caseworker_a)
    assert "Refer now" not in client.get(f"/screening/{negative.id}/").content.decode()
    for carried in (negative.id, foreign.id, elsewhere.id, "not-a-uuid"):
        form = client.get(f"/referrals/new/{case.id}/?screening={carried}")
        assert form.status_code == 200
        assert 'data-testid="screening-carried"' not in form.content.decode()
    # a made-up id on the registration page is dropped, not passed on
    assert (
        'data-testid="from-screening"' not in client.get("/cases/new/?screening=x").content.decode()
    )
