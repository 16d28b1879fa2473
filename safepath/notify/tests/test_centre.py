"""The notification centre through the API and the pages: a person sees and marks their own
notifications only (another's is a 404 and stays unread); the header shows the unread count;
preferences refuse bad input and leave the stored ones as they were."""

from __future__ import annotations

import pytest

from safepath.accounts.models import Agency, User
from safepath.cases.models import Case
from safepath.notify.models import Notification, Preference
from safepath.notify.services import notify
from safepath.notify.tests.helpers import prefer, refer
from safepath.testing.factories import register_case
from safepath.testing.fixtures import api_client_for, web_client_for

pytestmark = pytest.mark.django_db
URL = "/api/v1/notifications/"


@pytest.fixture
def case_a(caseworker_a: User) -> Case:
    return register_case(caseworker_a)


def test_my_notifications_and_marking_them_read(
    caseworker_a: User, case_a: Case, agency_b: Agency, caseworker_b: User
) -> None:
    referral = refer(caseworker_a, case_a, agency_b)
    client = api_client_for(caseworker_b)
    listed = client.get(URL).json()
    [row] = listed["results"]
    assert row["kind"] == "referral_received"
    assert row["title"] == "A referral was sent to your agency"
    assert row["reference"] == case_a.reference
    assert row["link"] == f"/referrals/{referral.id}/"
    assert row["read_at"] is None
    assert set(row) == {
        "id",
        "kind",
        "title",
        "urgent",
        "reference",
        "link",
        "created_at",
        "read_at",
    }
    assert api_client_for(caseworker_a).get(URL).json()["results"] == []

    # another person's notification is invisible, and stays unread
    stranger = api_client_for(caseworker_a).post(f"{URL}{row['id']}/read/")
    assert stranger.status_code == 404
    assert Notification.objects.get(pk=row["id"]).read_at is None

    read = client.post(f"{URL}{row['id']}/read/")
    assert read.status_code == 200
    assert read.json()["read_at"] is not None
    assert client.get(f"{URL}?unread=true").json()["results"] == []


def test_referral_answers_reach_the_referring_worker(
    caseworker_a: User, case_a: Case, agency_b: Agency, caseworker_b: User
) -> None:
    referral = refer(caseworker_a, case_a, agency_b)
    api_client_for(caseworker_b).post(
        f"/api/v1/referrals/{referral.id}/decline/",
        {"version": 1, "code": "no_capacity", "reason": "No bed tonight."},
        format="json",
    )
    [row] = api_client_for(caseworker_a).get(URL).json()["results"]
    assert (row["kind"], row["reference"]) == ("referral_declined", case_a.reference)


def test_the_header_counts_unread_and_the_centre_marks_read(
    caseworker_a: User, case_a: Case, agency_b: Agency, caseworker_b: User
) -> None:
    refer(caseworker_a, case_a, agency_b)
    refer(caseworker_a, register_case(caseworker_a), agency_b)
    client = web_client_for(caseworker_b)
    page = client.get("/notifications/").content.decode()
    assert 'data-testid="unread-count">2<' in page
    assert page.count('data-kind="referral_received"') == 2
    note = Notification.objects.filter(recipient=caseworker_b).first()
    assert note is not None
    opened = client.post(f"/notifications/{note.id}/read/", {"open": "1"})
    assert opened.status_code == 302
    assert opened["Location"] == note.link
    assert 'data-testid="unread-count">1<' in client.get("/notifications/").content.decode()
    client.post("/notifications/read-all/")
    assert 'data-testid="unread-count">0<' in client.get("/").content.decode()
    assert web_client_for(caseworker_a).post(f"/notifications/{note.id}/read/").status_code == 404


def test_the_same_event_tells_a_person_once(caseworker_a: User, case_a: Case) -> None:
    for _ in range(2):
        notify(
            recipients=[caseworker_a],
            kind="task_overdue",
            reference=case_a.reference,
            link=f"/cases/{case_a.id}/",
            dedupe_key=f"task_overdue:{case_a.id}",
        )
    assert Notification.objects.filter(recipient=caseworker_a).count() == 1


@pytest.mark.parametrize(
    ("reference", "link"),
    [
        ("Amina Testchild", "/cases/"),  # a name as the reference
        ("SP-ABCD-EFGH", "/cases/?name=Amina"),  # a name in the link's query
        ("SP-ABCD-EFGH", "https://elsewhere.example/"),  # another site
        ("amina", "/cases/"),
    ],
)
def test_a_notification_refuses_anything_but_a_reference_and_a_link(
    caseworker_a: User, reference: str, link: str
) -> None:
    with pytest.raises(ValueError, match="a reference and a link only"):
        notify(
            recipients=[caseworker_a],
            kind="task_overdue",
            reference=reference,
            link=link,
            dedupe_key="x",
        )
    assert not Notification.objects.exists()


def test_preferences_refuse_bad_input_and_keep_what_was_stored(caseworker_a: User) -> None:
    prefer(caseworker_a, frequency="weekly")
    client = api_client_for(caseworker_a)
    bad = client.put(
        f"{URL}preferences/",
        {
            "email_enabled": True,
            "sms_enabled": True,
            "phone": "0700 not a number",
            "frequency": "daily",
            "quiet_start": "22:00",
            "quiet_end": None,
            "time_zone": "Mars/Olympus",
        },
        format="json",
    )
    assert bad.status_code == 400
    fields = bad.json()["fields"] if "fields" in bad.json() else bad.json()
    assert {"phone", "quiet_end", "time_zone"} <= set(fields)
    assert Preference.objects.get(user=caseworker_a).frequency == "weekly"
    good = client.put(
        f"{URL}preferences/",
        {
            "email_enabled": False,
            "sms_enabled": True,
            "phone": "+254 700 000 123",
            "frequency": "daily",
            "quiet_start": "22:00",
            "quiet_end": "06:30",
            "time_zone": "Africa/Nairobi",
        },
        format="json",
    )
    assert good.status_code == 200, good.json()
    assert good.json()["phone"] == "+254700000123"
    assert client.get(f"{URL}preferences/").json()["quiet_end"] == "06:30:00"


def test_the_preferences_page_saves(caseworker_a: User) -> None:
    client = web_client_for(caseworker_a)
    assert client.get("/notifications/preferences/").status_code == 200
    answer = client.post(
        "/notifications/preferences/",
        {
            "email_enabled": "on",
            "frequency": "weekly",
            "phone": "",
            "time_zone": "UTC",
            "quiet_start": "21:00",
            "quiet_end": "07:00",
        },
    )
    assert answer.status_code == 302
    stored = Preference.objects.get(user=caseworker_a)
    assert (stored.frequency, str(stored.quiet_start)) == ("weekly", "21:00:00")
