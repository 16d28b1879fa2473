"""Emergency mode: declaring tags registrations in the area, deadlines tighten, the board counts
what needs doing; services report their status and referrals skip the closed ones."""

from __future__ import annotations

import datetime
import json
import uuid
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from safepath.accounts.models import Agency, User
from safepath.audit.models import AuditEvent, Channel
from safepath.cases.models import Case
from safepath.cases.services import consent_record
from safepath.emergency import deadlines
from safepath.emergency.board import emergency_board, service_gaps
from safepath.emergency.models import Emergency, Registration
from safepath.emergency.services.emergencies import emergency_declare, emergency_end
from safepath.emergency.services.registration import registration_create
from safepath.emergency.tests.helpers import clean, values
from safepath.notify.models import Notification
from safepath.referrals.models import Service, ServiceProvider
from safepath.referrals.selectors import (
    closed_services_skipped,
    pathway_suggestions,
    services_for_suggestions,
)
from safepath.referrals.services import ReferralInput, referral_create
from safepath.referrals.status import service_status_report
from safepath.testing.fixtures import web_client_for

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()


def _register(user: User, **overrides: Any) -> Registration:
    return registration_create(
        user=user, record_id=uuid.uuid4(), values=clean(values(**overrides)), channel=Channel.WEB
    )


def _declare(coordinator: User, **overrides: Any) -> Emergency:
    data: dict[str, Any] = {
        "name": "Turkana floods",
        "hazard": "flood",
        "country": "KE",
        "admin_areas": ["Turkana"],
        "starts_on": TODAY - datetime.timedelta(days=2),
        "ends_on": None,
    }
    data.update(overrides)
    return emergency_declare(user=coordinator, channel=Channel.WEB, **data)


@pytest.fixture
def coordinator(make_user: Any, coordination: Agency) -> User:
    return make_user("coordinator", coordination, "coordinator")


def test_declaring_tags_registrations_in_the_area_then_and_after(
    coordinator: User, caseworker_a: User
) -> None:
    before = _register(caseworker_a)
    elsewhere = _register(caseworker_a, area_admin1="Nairobi")
    emergency = _declare(coordinator, admin_areas=["  turkana "])
    after = _register(caseworker_a, area_admin1="TURKANA")
    for item in (before, elsewhere, after):
        item.refresh_from_db()
    assert (before.emergency, elsewhere.emergency, after.emergency) == (emergency, None, emergency)
    assert AuditEvent.objects.get(object_type="emergency").details["tagged"] == 1


def test_declaring_tells_the_supervisors_in_the_country_at_once(
    coordinator: User, supervisor_a: User, caseworker_a: User
) -> None:
    emergency = _declare(coordinator)
    [note] = Notification.objects.all()
    assert (note.recipient, note.kind, note.urgent) == (supervisor_a, "emergency", True)
    assert note.link == f"/emergency/{emergency.id}/"
    assert "Turkana" not in note.reference


def test_an_emergency_ends_and_deletes_nothing(coordinator: User, caseworker_a: User) -> None:
    emergency = _declare(coordinator)
    tagged = _register(caseworker_a)
    ended = emergency_end(
        user=coordinator,
        emergency=emergency,
        ends_on=TODAY,
        expected_version=1,
        channel=Channel.WEB,
    )
    assert ended.ends_on == TODAY
    assert ended.version == 2
    tagged.refresh_from_db()
    assert tagged.emergency == emergency
    tomorrow = _register(caseworker_a)  # registered today: still inside the emergency's dates
    assert tomorrow.emergency == emergency


def test_only_a_coordinator_declares(caseworker_a: User, supervisor_a: User) -> None:
    from safepath.core.exceptions import NotFoundError

    for user in (caseworker_a, supervisor_a):
        with pytest.raises(NotFoundError):
            _declare(user)
    assert not Emergency.objects.exists()


def test_bad_declarations_name_the_field(coordinator: User) -> None:
    from safepath.core.exceptions import FieldValidationError

    with pytest.raises(FieldValidationError) as refused:
        _declare(coordinator, name=" ", country="XX", ends_on=TODAY - datetime.timedelta(days=9))
    assert set(refused.value.fields) == {"name", "country", "ends_on"}


def test_deadlines_are_data_and_tighter_in_an_emergency() -> None:
    rules = deadlines.deadlines()
    assert rules.within(profile="emergency", step="assign", risk="high") == datetime.timedelta(
        hours=1
    )
    assert rules.within(profile="normal", step="assign", risk="high") == datetime.timedelta(hours=3)
    raw = json.loads(deadlines.DEADLINES_FILE.read_text(encoding="utf-8"))
    raw["profiles"]["emergency"]["tracing"]["low"] = 1000
    with pytest.raises(deadlines.DeadlineFileError, match="emergency/tracing/low"):
        deadlines.parse(raw)
    del raw["profiles"]["normal"]["assign"]
    with pytest.raises(deadlines.DeadlineFileError, match="profiles/normal"):
        deadlines.parse(raw)


def test_the_board_counts_what_needs_doing(
    coordinator: User, caseworker_a: User, supervisor_a: User, caseworker_b: User, agency_a: Agency
) -> None:
    emergency = _declare(coordinator)
    alone = _register(caseworker_a)  # unaccompanied, high risk, no interim care yet
    _register(caseworker_a, care_status="separated", risk_level="low")
    _register(caseworker_b)  # another agency
    consent_record(
        user=caseworker_a, case=alone.case, given_by="child", purpose="tracing",
        data_scope="Identity", recipient_agency=agency_a, given_on=TODAY, expires_on=None,
        channel=Channel.WEB,
    )  # fmt: skip
    later = timezone.now() + datetime.timedelta(hours=7)
    board = emergency_board(user=coordinator, emergency=emergency, now=later)
    assert board.registrations == 3
    assert board.unaccompanied == 2
    assert board.separated == 1
    assert board.unaccompanied_without_care == 2
    assert board.tracing["consent"] == 1
    assert board.tracing["registered"] == 2
    # emergency profile: interim care within 6 h for high risk, tracing within 24 h
    assert board.overdue["interim_care"] == 2
    assert board.overdue["tracing"] == 0
    assert board.overdue["assign"] == 0  # registered by caseworkers, so assigned
    normal = emergency_board(user=coordinator, emergency=emergency, now=timezone.now())
    assert normal.overdue["interim_care"] == 0
    mine = emergency_board(user=supervisor_a, emergency=emergency, now=later)
    assert mine.registrations == 2  # a supervisor sees their own agency's


def test_board_and_gaps_pages_are_for_coordinators_and_supervisors(
    coordinator: User, caseworker_a: User, supervisor_a: User
) -> None:
    emergency = _declare(coordinator)
    _register(caseworker_a)
    for user, expected in ((coordinator, 200), (supervisor_a, 200), (caseworker_a, 404)):
        client: Client = web_client_for(user)
        assert client.get(f"/emergency/{emergency.id}/").status_code == expected
        assert client.get(f"/emergency/{emergency.id}/gaps/").status_code == expected
    page = web_client_for(coordinator).get(f"/emergency/{emergency.id}/").content.decode()
    assert "Nyakim" not in page
    assert "Deng" not in page


@pytest.fixture
def shelter(agency_b: Agency) -> Service:
    provider = ServiceProvider.objects.create(name="Agency B", agency=agency_b, country="KE")
    return Service.objects.create(
        provider=provider,
        name="Safe House Lodwar",
        service_type="shelter.emergency",
        country="KE",
        admin_area="Turkana",
    )


def test_a_closed_service_is_skipped_and_named(
    coordinator: User, caseworker_a: User, caseworker_b: User, agency_b: Agency, shelter: Service
) -> None:
    case = _register(caseworker_a).case
    case.forms_of_exploitation = ["forced_labour"]
    case.save()
    suggestions = pathway_suggestions(case)
    assert shelter in services_for_suggestions(case, suggestions)["shelter.emergency"]
    report = service_status_report(
        user=caseworker_b, service=shelter, status="closed", note="Flooded", channel=Channel.WEB
    )
    shelter.refresh_from_db()
    assert (shelter.operating_status, shelter.status_reported_at) == ("closed", report.reported_at)
    assert shelter not in services_for_suggestions(case, suggestions)["shelter.emergency"]
    assert closed_services_skipped(case, suggestions) == [shelter]

    from safepath.cases.services import ChildViewsInput
    from safepath.core.exceptions import FieldValidationError

    consent = consent_record(
        user=caseworker_a, case=case, given_by="child", purpose="referral", data_scope="All",
        recipient_agency=agency_b, given_on=TODAY, expires_on=None, channel=Channel.WEB,
    )  # fmt: skip
    with pytest.raises(FieldValidationError) as refused:
        referral_create(
            user=caseworker_a,
            case=case,
            data=ReferralInput(
                receiving_agency=agency_b,
                service_type="shelter.emergency",
                urgency="high",
                reason="Needs shelter",
                service=shelter,
                consent=consent,
                child_views=ChildViewsInput(
                    views="Safe place",
                    informed_language="en",
                    informed_in_understandable_manner=True,
                    weight_given="Her wish counts",
                    heard_on=TODAY,
                ),
            ),
            channel=Channel.WEB,
        )
    assert refused.value.code == "service_closed"
    assert "closed" in refused.value.fields["service"][0]
    page = web_client_for(caseworker_a).get(f"/referrals/new/{case.id}/").content.decode()
    assert "Skipped: these services reported themselves closed" in page
    assert "Safe House Lodwar" in page


def test_who_may_report_a_service_status(
    coordinator: User, caseworker_a: User, caseworker_b: User, shelter: Service
) -> None:
    from safepath.core.exceptions import FieldValidationError, NotFoundError

    with pytest.raises(NotFoundError):  # another agency's service
        service_status_report(
            user=caseworker_a, service=shelter, status="closed", channel=Channel.WEB
        )
    with pytest.raises(FieldValidationError):
        service_status_report(
            user=coordinator, service=shelter, status="moved", channel=Channel.WEB
        )
    service_status_report(
        user=coordinator, service=shelter, status="moved", moved_to="Kakuma", channel=Channel.WEB
    )
    shelter.refresh_from_db()
    assert (shelter.operating_status, shelter.moved_to) == ("moved", "Kakuma")
    assert shelter.status_reports.count() == 1


def test_the_gap_table_shows_needs_without_a_running_service(
    coordinator: User, caseworker_a: User, caseworker_b: User, shelter: Service
) -> None:
    emergency = _declare(coordinator)
    _register(caseworker_a, urgent_needs=["shelter", "medical"])
    rows = {
        (r.area, r.service_type): r for r in service_gaps(user=coordinator, emergency=emergency)
    }
    assert not rows[("Turkana", "shelter")].gap
    assert rows[("Turkana", "health")].gap
    service_status_report(user=caseworker_b, service=shelter, status="closed", channel=Channel.WEB)
    rows = {
        (r.area, r.service_type): r for r in service_gaps(user=coordinator, emergency=emergency)
    }
    assert rows[("Turkana", "shelter")].gap
    assert rows[("Turkana", "shelter")].closed == 1
    assert Case.objects.count() == 1
