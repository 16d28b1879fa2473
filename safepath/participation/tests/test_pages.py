"""Pages around the flows: the case overview shows what the child was told, the menu and
home-page items follow the policy, the information pages print, the demo loads twice."""

from __future__ import annotations

import pytest
from django.test import Client

from safepath.accounts.models import User
from safepath.demo.accounts import ensure_demo_accounts
from safepath.participation.demo import load_demo
from safepath.participation.models import (
    Answer,
    Consultation,
    Feedback,
    InformationGiven,
    Participant,
    ReviewStatus,
)
from safepath.participation.tests.conftest import submit
from safepath.referrals.demo import load_demo as load_referrals_demo
from safepath.testing.factories import register_case
from safepath.testing.fixtures import web_client_for

pytestmark = pytest.mark.django_db


def test_the_case_page_shows_and_records_what_the_child_was_told(
    caseworker_a: User, caseworker_b: User
) -> None:
    case = register_case(caseworker_a)
    client = web_client_for(caseworker_a)
    page = client.get(f"/cases/{case.id}/").content.decode()
    assert "What the child has been told" in page
    assert "Nothing recorded yet." in page
    recorded = client.post(
        f"/participation/cases/{case.id}/information/",
        {
            "topic": "your-rights",
            "level": "younger",
            "language": "ar",
            "format": "printed",
            "given_on": "2026-01-05",
        },
    )
    assert recorded.status_code == 302
    assert recorded["Location"] == f"/cases/{case.id}/#information"
    page = client.get(f"/cases/{case.id}/").content.decode()
    assert "Your rights" in page
    assert "Printed and given" in page
    item = InformationGiven.objects.get()
    assert (item.topic_version, item.language, item.level) == ("2026.1", "ar", "younger")
    outsider = web_client_for(caseworker_b).post(
        f"/participation/cases/{case.id}/information/",
        {
            "topic": "your-rights",
            "level": "younger",
            "language": "ar",
            "format": "printed",
            "given_on": "2026-01-05",
        },
    )
    assert outsider.status_code == 404
    assert InformationGiven.objects.count() == 1


def test_information_pages_at_two_levels_in_arabic() -> None:
    client = Client(HTTP_ACCEPT_LANGUAGE="ar")
    younger = client.get("/participate/information/your-rights/").content.decode()
    older = client.get("/participate/information/your-rights/?level=older").content.decode()
    assert 'dir="rtl"' in younger
    assert "ليس ذنبك" in younger
    assert "الحق في عدم العقاب" in older
    assert "data-print" in older


def test_menus_and_work_items(
    facilitator: User, supervisor: User, consultation: Consultation, coordinator: User
) -> None:
    submit(facilitator, consultation, {"one_change": "Idea"})
    home = web_client_for(facilitator).get("/").content.decode()
    assert 'data-nav="consultations"' in home
    assert "Written answers from children to review" in home
    assert 'data-nav="safeguarding"' in web_client_for(supervisor).get("/").content.decode()
    assert 'data-nav="feedback-late"' in web_client_for(coordinator).get("/").content.decode()


def test_the_staff_pages_work_for_the_facilitator(
    facilitator: User, consultation: Consultation
) -> None:
    for number in range(12):
        submit(
            facilitator, consultation, {"felt_safe": "very", "one_change": f"Call Joseph {number}"}
        )
    submit(facilitator, consultation, {"felt_safe": "quite"})
    client = web_client_for(facilitator)
    assert (
        "Review written answers"
        in client.get(f"/participation/{consultation.id}/").content.decode()
    )
    results = client.get(f"/participation/{consultation.id}/results/").content.decode()
    assert 'data-suppressed="true"' in results
    review = client.get(f"/participation/{consultation.id}/review/").content.decode()
    assert "<mark>Joseph</mark>" in review
    answer = Answer.objects.filter(review_status=ReviewStatus.PENDING).first()
    assert answer is not None
    decided = client.post(
        f"/participation/{consultation.id}/review/{answer.id}/",
        {f"{answer.id}-decision": "approve", f"{answer.id}-text": "Call [name]"},
    )
    assert decided.status_code == 302
    answer.refresh_from_db()
    assert (answer.review_status, answer.reviewed_text, answer.value) == (
        ReviewStatus.APPROVED,
        "Call [name]",
        None,
    )


def test_the_demo_loads_twice_the_same() -> None:
    ensure_demo_accounts()
    load_referrals_demo()
    first = load_demo()
    assert first["participants"] == 32
    assert first["feedback"] == 16
    second = load_demo()
    assert second["feedback"] == 0
    assert second["consultation"] == "exists"
    assert Participant.objects.count() == 32
    assert Feedback.objects.count() == 16
