"""Feedback a caseworker expects from the referral pages (issue 19): the list opens on the side
that has referrals, every answer confirms what happened and what comes next, the outcome is
chosen (never preselected), and the home page counts what waits, overdue first."""

from __future__ import annotations

import datetime
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from safepath.accounts.models import Agency, User
from safepath.audit.models import Channel
from safepath.cases.models import Case, Consent
from safepath.cases.services import ChildViewsInput
from safepath.referrals import services
from safepath.referrals.home import work_items
from safepath.referrals.models import Referral, ReferralStatus
from safepath.referrals.tests.conftest import give_consent
from safepath.testing.factories import register_case
from safepath.testing.fixtures import web_client_for

pytestmark = pytest.mark.django_db
DETAIL_LINK = re.compile(r'href="/referrals/[0-9a-f-]{36}/"')


def refer(user: User, case: Case, agency: Agency, consent: Consent, **kwargs: object) -> Referral:
    return services.referral_create(
        user=user,
        case=case,
        data=services.ReferralInput(
            receiving_agency=agency,
            service_type="shelter.emergency",
            urgency="high",
            reason="Needs a safe place.",
            consent=consent,
            child_views=ChildViewsInput(
                views="I agree.",
                informed_language="sw",
                informed_in_understandable_manner=True,
                weight_given="Her wish decided it.",
                heard_on=timezone.localdate(),
            ),
        ),
        channel=Channel.API,
        **kwargs,  # type: ignore[arg-type]
    )


def several(caseworker_a: User, agency_b: Agency, count: int, *, late: int = 0) -> list[Referral]:
    """``count`` referrals from A to B, the first ``late`` of them made long enough ago to be
    past their answer deadline."""
    made = []
    for index in range(count):
        case = register_case(caseworker_a)
        consent = give_consent(caseworker_a, case, agency_b)
        now = timezone.now() - (
            datetime.timedelta(days=30) if index < late else datetime.timedelta()
        )
        made.append(refer(caseworker_a, case, agency_b, consent, now=now))
    return made


def test_the_list_opens_on_outgoing_when_only_outgoing_referrals_exist(
    caseworker_a: User, agency_b: Agency
) -> None:
    several(caseworker_a, agency_b, 2)
    page = web_client_for(caseworker_a).get(reverse("referrals:list")).content.decode()

    assert 'data-testid="tab-outgoing">Outgoing (2)' in page
    assert re.search(r'href="\?direction=outgoing" aria-current="page"', page)
    assert "No referrals to show." not in page


def test_the_list_opens_on_incoming_when_the_agency_has_some_to_answer(
    caseworker_a: User, caseworker_b: User, agency_b: Agency
) -> None:
    several(caseworker_a, agency_b, 3)
    page = web_client_for(caseworker_b).get(reverse("referrals:list")).content.decode()

    assert re.search(r'href="\?direction=incoming" aria-current="page"', page)
    assert 'data-testid="tab-incoming">Incoming (3)' in page
    assert len(DETAIL_LINK.findall(page)) == 3


def test_sending_and_each_answer_confirm_what_happened_and_what_comes_next(
    caseworker_a: User,
    caseworker_b: User,
    agency_b: Agency,
    case_a: Case,
    consent_a_to_b: Consent,
) -> None:
    client_a = web_client_for(caseworker_a)
    sent = client_a.post(
        reverse("referrals:create", args=[case_a.id]),
        {
            "receiving_agency": str(agency_b.id),
            "service_type": "shelter.emergency",
            "urgency": "high",
            "reason": "Needs a safe place tonight.",
            "consent": str(consent_a_to_b.id),
            "views": "I agree to go.",
            "informed_language": "Swahili",
            "informed_in_understandable_manner": "on",
            "weight_given": "Her wish decided it.",
            "heard_on": timezone.localdate().isoformat(),
        },
        follow=True,
    ).content.decode()
    assert f"The referral is sent to {agency_b.name}." in sent
    referral = Referral.objects.get()
    assert "Informed in: Swahili" in sent  # stored as sw, shown by name

    client_b = web_client_for(caseworker_b)
    detail = client_b.get(reverse("referrals:detail", args=[referral.id])).content.decode()
    assert "Accept the referral" in detail
    accepted = client_b.post(
        reverse("referrals:action", args=[referral.id, "accept"]), {"version": 1}, follow=True
    ).content.decode()
    assert "You accepted the referral." in accepted
    # the outcome is chosen by the person reporting it: nothing is selected for them
    assert '<option value="" selected>Choose the outcome</option>' in accepted
    referral.refresh_from_db()
    blank = client_b.post(
        reverse("referrals:action", args=[referral.id, "outcome"]),
        {"version": referral.version, "outcome": "", "outcome_on": timezone.localdate()},
    )
    assert blank.status_code == 400
    assert Referral.objects.get().status == ReferralStatus.ACCEPTED
    done = client_b.post(
        reverse("referrals:action", args=[referral.id, "outcome"]),
        {"version": referral.version, "outcome": "delivered", "outcome_on": timezone.localdate()},
        follow=True,
    ).content.decode()
    assert "The outcome is recorded and the referral is closed." in done
    # the sender sees the receiver's answer
    seen = client_a.get(reverse("referrals:detail", args=[referral.id])).content.decode()
    assert "Service delivered" in seen


def test_home_counts_the_agencys_waiting_referrals_and_the_overdue_among_them(
    caseworker_a: User, caseworker_b: User, agency_b: Agency
) -> None:
    several(caseworker_a, agency_b, 3, late=1)

    items = {item.key: item for item in work_items(caseworker_b)}
    waiting = items["referrals-waiting"]
    assert (waiting.count, waiting.overdue) == (3, 1)
    # the count matches the list behind the link
    listed = web_client_for(caseworker_b).get(waiting.url).content.decode()
    assert len(DETAIL_LINK.findall(listed)) == 3
    assert listed.count("<strong>overdue</strong>") == 1
    home = web_client_for(caseworker_b).get("/").content.decode()
    assert "Referrals waiting for your agency&#x27;s answer" in home
    # the referring side has nothing to answer
    assert "referrals-waiting" not in {i.key for i in work_items(caseworker_a) if i.count}


def test_a_supervisor_sees_the_overdue_referrals_and_the_supervision_page_link(
    caseworker_a: User, supervisor_b: User, agency_b: Agency
) -> None:
    several(caseworker_a, agency_b, 2, late=2)

    items = {item.key: item for item in work_items(supervisor_b)}
    assert (items["referrals-overdue"].count, items["referrals-overdue"].overdue) == (2, 2)
    home = web_client_for(supervisor_b).get("/").content.decode()
    assert 'href="/cases/supervision/"' in home
    assert 'data-nav="supervision"' in home


def test_an_unrelated_agency_counts_nothing(
    caseworker_a: User, agency_b: Agency, make_user: object, police_agency: Agency
) -> None:
    several(caseworker_a, agency_b, 2)
    outsider = make_user("caseworker", police_agency)  # type: ignore[operator]
    assert [item.count for item in work_items(outsider)] == [0]
