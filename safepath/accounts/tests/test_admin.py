"""The admin site: administrators manage agencies and users, and every change is audited."""

from __future__ import annotations

import pytest
from django.test import Client

from safepath.accounts.models import Agency, User
from safepath.accounts.roles import Role
from safepath.audit.models import AuditEvent
from safepath.testing.fixtures import web_client_for


@pytest.fixture
def admin_client(make_user) -> Client:  # type: ignore[no-untyped-def]
    admin = make_user(Role.SYSTEM_ADMIN, None, "root")
    admin.is_staff = admin.is_superuser = True
    admin.save()
    return web_client_for(admin)


@pytest.mark.django_db
def test_an_agency_created_in_the_admin_is_audited(admin_client: Client) -> None:
    response = admin_client.post(
        "/admin/accounts/agency/add/",
        {
            "name": "Labour Inspectorate",
            "code": "labour",
            "agency_type": "labour_inspection",
            "country": "GH",
            "is_active": "on",
            "created_at_0": "2026-01-01",
            "created_at_1": "00:00",
        },
    )
    assert response.status_code == 302, response.content[:2000]
    agency = Agency.objects.get(code="labour")
    event = AuditEvent.objects.get(action="admin", object_id=str(agency.pk))
    assert event.details["change"] == "created"
    assert "name" in event.details["fields"]
    assert "Labour" not in str(event.details)


@pytest.mark.django_db
def test_an_administrator_without_a_second_factor_is_sent_to_get_one(make_user) -> None:  # type: ignore[no-untyped-def]
    admin = make_user(Role.SYSTEM_ADMIN, None, "root2")
    admin.is_staff = True
    admin.save()
    client = Client()
    client.force_login(admin)
    response = client.get("/admin/")
    assert response.status_code == 302
    assert response["Location"] == "/accounts/two-factor/"


@pytest.mark.django_db
def test_staff_other_than_administrators_cannot_use_the_admin(make_user, agency_a) -> None:  # type: ignore[no-untyped-def]
    supervisor = make_user(Role.SUPERVISOR, agency_a)
    client = Client()
    client.force_login(supervisor)
    assert User.objects.get(pk=supervisor.pk).is_staff is False
    assert client.get("/admin/").status_code == 302


@pytest.mark.django_db
def test_a_password_reset_in_the_admin_is_audited(
    admin_client: Client, make_user, agency_a
) -> None:  # type: ignore[no-untyped-def]
    worker = make_user(Role.CASEWORKER, agency_a)
    response = admin_client.post(
        f"/admin/accounts/user/{worker.pk}/password/",
        {
            "password1": "a-new-long-passphrase-9",
            "password2": "a-new-long-passphrase-9",
            "usable_password": "true",
        },
    )
    assert response.status_code == 302, response.content[:500]
    event = AuditEvent.objects.get(action="admin", object_id=str(worker.pk))
    assert event.details == {"change": "password"}


@pytest.mark.django_db
def test_a_single_sign_on_rule_is_set_in_the_admin_and_audited(
    admin_client: Client, agency_a: Agency
) -> None:
    from safepath.accounts.models import SsoClaimRule

    form = {
        "position": "10",
        "provider": "",
        "claim": "groups",
        "match": "includes",
        "value": "cp-agency-a-caseworkers",
        "role": "caseworker",
        "is_active": "on",
    }
    missing_agency = admin_client.post("/admin/accounts/ssoclaimrule/add/", form)
    assert missing_agency.status_code == 200
    assert b"needs an agency" in missing_agency.content
    assert not SsoClaimRule.objects.exists()
    saved = admin_client.post("/admin/accounts/ssoclaimrule/add/", {**form, "agency": agency_a.pk})
    assert saved.status_code == 302
    rule = SsoClaimRule.objects.get()
    assert (rule.role, rule.agency) == (Role.CASEWORKER, agency_a)
    event = AuditEvent.objects.get(action="admin", object_type="sso_rule")
    assert event.object_id == str(rule.pk)
    assert admin_client.get("/admin/accounts/ssoclaimrule/").status_code == 200
    assert admin_client.get("/admin/accounts/ssoidentity/").status_code == 200
