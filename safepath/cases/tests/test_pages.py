"""The web pages of cases and each role's home page (server-rendered, through Django's client)."""

from __future__ import annotations

import pytest
from django.utils import timezone

from safepath.accounts.models import User
from safepath.accounts.roles import Role
from safepath.audit.models import AuditEvent
from safepath.cases.models import Case
from safepath.testing.factories import register_case
from safepath.testing.fixtures import web_client_for


@pytest.mark.django_db
def test_caseworker_registers_a_case_through_the_form(caseworker_a: User) -> None:
    client = web_client_for(caseworker_a)
    form = client.get("/cases/new/")
    assert form.status_code == 200
    assert b'<label for="id_given_name">' in form.content

    response = client.post(
        "/cases/new/",
        {
            "given_name": "Nadia",
            "family_name": "Okello",
            "other_names": "Nadi, نادية",
            "sex": "female",
            "date_of_birth": "2013-04-05",
            "identified_on": str(timezone.localdate()),
            "forms_of_exploitation": ["domestic_servitude"],
            "nationality": "UG",
            "summary": "Referred by a teacher.",
        },
    )

    case = Case.objects.select_related("child").get()
    assert response.status_code == 302
    assert response["Location"] == f"/cases/{case.id}/"
    assert case.child.other_names == ["Nadi", "نادية"]
    page = client.get(response["Location"])
    assert page.status_code == 200
    assert "Nadia Okello" in page.content.decode()
    assert case.reference in page.content.decode()


@pytest.mark.django_db
def test_form_errors_name_the_field_and_save_nothing(caseworker_a: User) -> None:
    client = web_client_for(caseworker_a)
    response = client.post(
        "/cases/new/",
        {
            "given_name": "",
            "sex": "female",
            "identified_on": "2999-01-01",
        },
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert 'id="id_given_name_error"' in html
    assert "cannot be in the future" in html or "identified" in html
    assert Case.objects.count() == 0


@pytest.mark.django_db
def test_list_page_shows_visible_cases_and_audits_them(
    caseworker_a: User, caseworker_b: User
) -> None:
    mine = register_case(caseworker_a, given_name="Visible")
    register_case(caseworker_b, given_name="Hidden")
    before = AuditEvent.objects.count()
    page = web_client_for(caseworker_a).get("/cases/")
    html = page.content.decode()
    assert "Visible" in html
    assert "Hidden" not in html
    reads = AuditEvent.objects.filter(seq__gt=before, action="read")
    assert list(reads.values_list("object_id", flat=True)) == [str(mine.id)]


@pytest.mark.django_db
def test_list_search_answers_htmx_with_rows_only(caseworker_a: User) -> None:
    register_case(caseworker_a, given_name="Asha", family_name="Mwangi")
    register_case(caseworker_a, given_name="Baraka", family_name="Kamau")
    response = web_client_for(caseworker_a).post(
        "/cases/", {"name": "MWANGI"}, HTTP_HX_REQUEST="true"
    )
    html = response.content.decode()
    assert "<html" not in html
    assert "Asha" in html
    assert "Baraka" not in html


@pytest.mark.django_db
def test_another_agencys_case_page_is_not_found(caseworker_a: User, caseworker_b: User) -> None:
    theirs = register_case(caseworker_b)
    assert web_client_for(caseworker_a).get(f"/cases/{theirs.id}/").status_code == 404


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("role", "shows", "hides"),
    [
        (Role.CASEWORKER, "Cases assigned to you", "National figures"),
        (Role.SUPERVISOR, "Cases you can see", "National figures"),
        (Role.COORDINATOR, "National figures", "Register a child"),
        (Role.ANALYST, "National figures", "Register a child"),
        (Role.SYSTEM_ADMIN, "Manage users and agencies", "Cases you can see"),
    ],
)
def test_each_role_has_its_own_home_page(
    make_user,
    agency_a,
    role: str,
    shows: str,
    hides: str,  # type: ignore[no-untyped-def]
) -> None:
    user = make_user(role, None if role == Role.SYSTEM_ADMIN else agency_a)
    if role == Role.SYSTEM_ADMIN:
        user.is_staff = True
        user.save()
    html = web_client_for(user).get("/").content.decode()
    assert shows in html
    assert hides not in html


@pytest.mark.django_db
def test_coordinator_figures_withhold_small_cells(make_user, agency_a, coordination) -> None:  # type: ignore[no-untyped-def]
    worker = make_user(Role.CASEWORKER, agency_a)
    for _ in range(12):
        register_case(worker, sex="female")
    register_case(worker, sex="male")
    coordinator = make_user(Role.COORDINATOR, coordination)
    from safepath.cases.selectors import case_figures

    figures = {f.label: f.count for f in case_figures(user=coordinator)["sex"]}
    assert figures == {"female": None, "male": None}  # male < 11, so female would give it away
    assert case_figures(user=coordinator)["total"][0].count == 13
    assert case_figures(user=worker) == {}


@pytest.mark.django_db
def test_administrators_cannot_open_cases(make_user, caseworker_a) -> None:  # type: ignore[no-untyped-def]
    admin = make_user(Role.SYSTEM_ADMIN, None)
    admin.is_staff = admin.is_superuser = True
    admin.save()
    case = register_case(caseworker_a)
    client = web_client_for(admin)
    assert client.get("/cases/").status_code == 404
    assert client.get(f"/cases/{case.id}/").status_code == 404
    assert client.get("/admin/cases/").status_code == 404  # not registered in the admin site
    index = client.get("/admin/").content.decode()
    assert "/admin/accounts/user/" in index
    assert "/admin/cases/" not in index


@pytest.mark.django_db
def test_demo_banner_appears_only_in_demo_mode(caseworker_a: User, settings) -> None:  # type: ignore[no-untyped-def]
    client = web_client_for(caseworker_a)
    assert b"demo-banner" not in client.get("/").content
    settings.DEMO_MODE = True
    settings.MFA_RELAXED = True
    html = client.get("/").content.decode()
    assert "Demo mode" in html
    assert "Two-factor sign-in is relaxed" in html


@pytest.mark.django_db
def test_case_page_names_countries_and_forms_in_the_readers_language(caseworker_a: User) -> None:
    case = register_case(caseworker_a, nationality="DE", forms_of_exploitation=["begging"])
    client = web_client_for(caseworker_a)
    english = client.get(f"/cases/{case.id}/").content.decode()
    assert "Germany" in english
    assert "Forced begging" in english
    client.cookies["django_language"] = "fr"
    french = client.get(f"/cases/{case.id}/").content.decode()
    assert "Allemagne" in french
    form = client.get("/cases/new/").content.decode()
    assert '<option value="DE">Allemagne</option>' in form
