"""An alert tells what the records behind it hold ("this child is in contact with the justice
system"), so it is read through the consent's categories like the records themselves
(``scopes.ALERT_KEYS``): a partner agency whose consent does not cover justice is not told of
the non-punishment notice, on the API or the case pages, nor by a notification;
the owning agency, and a police agency holding the case under a consent that covers justice,
still are."""

from __future__ import annotations

import datetime
import re
from pathlib import Path

import pytest
from django.utils import timezone

from safepath.accounts.models import Agency, User
from safepath.accounts.roles import Role
from safepath.audit.models import Channel
from safepath.cases import alerts
from safepath.cases.models import Case
from safepath.cases.overdue import overdue_notify
from safepath.cases.scopes import ALERT_KEYS, KEY_CATEGORY, alerts_in_scope
from safepath.cases.services import case_assign, case_share, consent_record, review_record
from safepath.notify.models import Notification
from safepath.testing.factories import register_case
from safepath.testing.fixtures import api_client_for, web_client_for

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()
DAY = datetime.timedelta(days=1)


def _share(case: Case, owner: User, agency: Agency, categories: list[str]) -> None:
    consent = consent_record(
        user=owner,
        case=case,
        given_by="guardian",
        purpose="sharing",
        data_scope="what the categories say",
        data_categories=categories,
        recipient_agency=agency,
        given_on=TODAY,
        expires_on=None,
        channel=Channel.API,
    )
    case_share(user=owner, case=case, agency=agency, consent=consent, channel=Channel.API)


def _codes_read_by(user: User, case: Case) -> dict[str, set[str]]:
    """The alert codes ``user`` is shown on each output of the case."""
    api = api_client_for(user)
    detail = api.get(f"/api/v1/cases/{case.id}/")
    page = web_client_for(user).get(f"/cases/{case.id}/")
    assert (detail.status_code, page.status_code) == (200, 200)
    html = page.content.decode()
    return {
        "detail": {alert["code"] for alert in detail.json()["alerts"]},
        "page": {code for code in ALERT_KEYS if f'data-testid="alert-{code}"' in html},
    }


@pytest.fixture
def arrested(caseworker_a: User) -> Case:
    """A case whose child was arrested: the owning agency records the justice contact."""
    case = register_case(caseworker_a)
    contact = {"kind": "arrested", "occurred_on": str(TODAY)}
    response = api_client_for(caseworker_a).post(
        f"/api/v1/cases/{case.id}/justice-contacts/", contact, format="json"
    )
    assert response.status_code == 201, response.json()
    return case


def test_a_partner_without_justice_consent_is_not_told_of_the_non_punishment_notice(
    arrested: Case, caseworker_a: User, make_user: object, agency_b: Agency
) -> None:
    _share(arrested, caseworker_a, agency_b, ["identity", "case_facts", "plan"])
    supervisor_b = make_user(Role.SUPERVISOR, agency_b)  # type: ignore[operator]

    seen = _codes_read_by(supervisor_b, arrested)

    assert seen == {"detail": set(), "page": set()}
    assert "non_punishment" in _codes_read_by(caseworker_a, arrested)["detail"]


def test_the_owner_and_a_police_agency_with_justice_consent_still_see_it(
    arrested: Case, caseworker_a: User, make_user: object, police_agency: Agency
) -> None:
    _share(arrested, caseworker_a, police_agency, ["identity", "justice"])
    police_chief = make_user(Role.SUPERVISOR, police_agency)  # type: ignore[operator]
    officer = make_user(Role.LAW_ENFORCEMENT, police_agency)  # type: ignore[operator]
    case_assign(user=police_chief, case=arrested, assignee=officer, channel=Channel.API)

    expected = {"non_punishment"}
    assert _codes_read_by(caseworker_a, arrested) == dict.fromkeys(("detail", "page"), expected)
    assert _codes_read_by(officer, arrested) == dict.fromkeys(("detail", "page"), expected)


def test_an_overdue_review_is_not_notified_to_a_partner_whose_consent_leaves_out_the_plan(
    caseworker_a: User, make_user: object, agency_b: Agency
) -> None:
    case = register_case(caseworker_a)
    review_record(
        user=caseworker_a,
        case=case,
        reviewed_on=TODAY - 10 * DAY,
        summary="(synthetic) Review",
        next_review_on=TODAY - DAY,
        channel=Channel.API,
    )
    _share(case, caseworker_a, agency_b, ["identity"])
    supervisor_b = make_user(Role.SUPERVISOR, agency_b)  # type: ignore[operator]
    caseworker_b = make_user(Role.CASEWORKER, agency_b)  # type: ignore[operator]
    case_assign(user=supervisor_b, case=case, assignee=caseworker_b, channel=Channel.API)

    overdue_notify(today=TODAY)

    told = set(
        Notification.objects.filter(kind="review_overdue").values_list("recipient", flat=True)
    )
    assert told == {caseworker_a.pk}


def test_every_alert_has_its_keys_in_the_category_map() -> None:
    """Default-deny for alerts: each code ``alerts.py`` raises is placed in ``ALERT_KEYS`` with
    keys of the one category map, and a code named nowhere is for the owning agency only."""
    source = Path(alerts.__file__).read_text(encoding="utf-8")
    raised = set(re.findall(r'CaseAlert\(\s*"(\w+)"', source))
    assert len(raised) == 6
    assert raised == set(ALERT_KEYS)
    assert all(key in KEY_CATEGORY for keys in ALERT_KEYS.values() for key in keys)
    every_category = frozenset(KEY_CATEGORY.values())
    assert alerts_in_scope([{"code": "not_placed"}], every_category) == []
