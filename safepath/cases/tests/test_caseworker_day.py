"""A caseworker's day (issue 19), through the pages and the API: duplicates caught at
registration without naming a child the user may not see, a name search that forgives, languages
by name, and a history in words."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.utils import timezone
from django.utils.translation import override

from safepath.accounts.models import Agency, User
from safepath.audit.models import Channel
from safepath.cases import services
from safepath.cases.history_words import change_title, field_label, value_words
from safepath.cases.models import Case, ChildViews
from safepath.cases.search import case_name_search
from safepath.cases.services import case_share, consent_record
from safepath.core.languages import language_code, language_name
from safepath.linkage.models import CandidatePair, RunScope
from safepath.linkage.tasks import linkage_registration_check
from safepath.testing.factories import register_case
from safepath.testing.fixtures import api_client_for, web_client_for

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()


def registration(given: str, family: str, **extra: Any) -> dict[str, Any]:
    return {
        "given_name": given,
        "family_name": family,
        "sex": "male",
        "date_of_birth": "2011-04-02",
        "nationality": "SD",
        "identified_on": str(TODAY),
        "forms_of_exploitation": ["forced_labour"],
        **extra,
    }


# --- duplicates at registration ---


def test_registering_the_same_child_in_another_script_warns_with_a_link(
    caseworker_a: User,
) -> None:
    client = web_client_for(caseworker_a)
    client.post("/cases/new/", registration("Mohammed", "Al-Rashid"))
    first = Case.objects.get()

    response = client.post("/cases/new/", registration("محمد", "الرشيد"), follow=True)

    html = response.content.decode()
    assert "One case looks like the same child" in html
    assert 'data-testid="duplicates"' in html
    assert f'href="/cases/{first.id}/"' in html
    second = Case.objects.exclude(pk=first.pk).get()
    pair = CandidatePair.objects.get()
    assert {pair.case_1_id, pair.case_2_id} == {first.id, second.id}  # waits for review


def test_a_different_child_raises_no_warning(caseworker_a: User) -> None:
    client = web_client_for(caseworker_a)
    client.post("/cases/new/", registration("Mohammed", "Al-Rashid"))
    html = client.post(
        "/cases/new/", registration("Grace", "Wanjiku", sex="female"), follow=True
    ).content.decode()
    assert "The child is registered." in html
    assert 'data-testid="duplicates"' not in html
    assert not CandidatePair.objects.exists()


def test_a_duplicate_the_user_may_not_open_is_never_named(
    caseworker_a: User, make_user: Any, agency_a: Agency, supervisor_a: User
) -> None:
    web_client_for(caseworker_a).post("/cases/new/", registration("Mohammed", "Al-Rashid"))
    first = Case.objects.get()
    colleague = make_user("caseworker", agency_a, "caseworker.a2")  # not assigned to the first

    response = web_client_for(colleague).post(
        "/cases/new/", registration("Mohamed", "Alrashid"), follow=True
    )

    html = response.content.decode()
    assert "The child is registered." in html
    assert first.reference not in html
    assert str(first.id) not in html
    assert 'data-testid="duplicates"' not in html
    # the pair waits for the supervisor, who may open both
    second = Case.objects.exclude(pk=first.pk).get()
    assert CandidatePair.objects.filter(status="pending").count() == 1
    boss = web_client_for(supervisor_a).get(f"/cases/{second.id}/").content.decode()
    assert f'href="/cases/{first.id}/"' in boss
    assert "Review possible duplicates" in boss


def test_the_api_returns_only_the_duplicates_the_caller_may_open(
    caseworker_a: User, make_user: Any, agency_a: Agency
) -> None:
    payload = {
        "child": {
            "given_name": "Mohammed",
            "family_name": "Al-Rashid",
            "sex": "male",
            "date_of_birth": "2011-04-02",
            "nationality": "SD",
        },
        "identified_on": str(TODAY),
        "forms_of_exploitation": ["forced_labour"],
    }
    client = api_client_for(caseworker_a)
    assert client.post("/api/v1/cases/", payload, format="json").json()["possible_duplicates"] == []
    first = Case.objects.get()
    again = client.post("/api/v1/cases/", payload, format="json").json()
    assert again["possible_duplicates"] == [{"id": str(first.id), "reference": first.reference}]

    colleague = make_user("caseworker", agency_a, "caseworker.a3")
    hidden = api_client_for(colleague).post("/api/v1/cases/", payload, format="json").json()
    assert hidden["possible_duplicates"] == []


def test_the_worker_checks_the_national_register_without_disclosing_it(
    caseworker_a: User, caseworker_b: User
) -> None:
    mine = register_case(
        caseworker_a,
        given_name="Mohammed",
        family_name="Al-Rashid",
        sex="male",
        date_of_birth=datetime.date(2011, 4, 2),
        nationality="SD",
    )
    theirs = register_case(
        caseworker_b,
        given_name="محمد",
        family_name="الرشيد",
        sex="male",
        date_of_birth=datetime.date(2011, 4, 2),
        nationality="SD",
    )

    proposed = linkage_registration_check.call(str(theirs.id))

    assert proposed == 1
    pair = CandidatePair.objects.get()
    assert pair.run.scope == RunScope.NATIONAL
    assert {pair.case_1_id, pair.case_2_id} == {mine.id, theirs.id}
    page = web_client_for(caseworker_b).get(f"/cases/{theirs.id}/").content.decode()
    assert mine.reference not in page
    assert 'data-testid="duplicates"' not in page


# --- forgiving name search ---


@pytest.fixture
def register(caseworker_a: User) -> dict[str, Case]:
    return {
        "mohammed": register_case(caseworker_a, given_name="Mohammed", family_name="Al-Rashid"),
        "grace": register_case(
            caseworker_a, given_name="Grace", family_name="Wanjiku", other_names=["Neema"]
        ),
        "arabic": register_case(caseworker_a, given_name="فاطمة", family_name="الزهراء"),
    }


@pytest.mark.parametrize(
    ("typed", "found", "reason"),
    [
        ("Mohammed Al-Rashid", "mohammed", "Same name"),
        ("moham", "mohammed", "Part of the name"),
        ("Muhamad", "mohammed", "Sounds alike: another spelling or script"),
        ("محمد", "mohammed", "Sounds alike: another spelling or script"),
        ("Neema", "grace", "Same as one of the other names"),
        ("wanj", "grace", "Part of the name"),
        ("Fatima", "arabic", "Sounds alike: another spelling or script"),
    ],
)
def test_name_search_forgives_and_says_why(
    caseworker_a: User, register: dict[str, Case], typed: str, found: str, reason: str
) -> None:
    hits, truncated = case_name_search(user=caseworker_a, name=typed)

    assert [hit.case.id for hit in hits] == [register[found].id]
    assert hits[0].reason == reason
    assert truncated is False


def test_the_list_page_searches_by_post_and_shows_why(
    caseworker_a: User, register: dict[str, Case]
) -> None:
    html = web_client_for(caseworker_a).post("/cases/", {"name": "muhamad"}).content.decode()
    assert register["mohammed"].reference in html
    assert register["grace"].reference not in html
    assert "Sounds alike: another spelling or script" in html


def test_the_api_search_forgives_too(caseworker_a: User, register: dict[str, Case]) -> None:
    body = (
        api_client_for(caseworker_a)
        .post("/api/v1/cases/search/", {"name": "Neema"}, format="json")
        .json()
    )
    assert [row["reference"] for row in body["results"]] == [register["grace"].reference]
    assert body["results"][0]["match_reason"] == "Same as one of the other names"


def test_search_never_finds_a_child_whose_name_the_reader_may_not_see(
    caseworker_a: User, agency_b: Agency, make_user: Any, register: dict[str, Case]
) -> None:
    case = register["mohammed"]
    consent = consent_record(
        user=caseworker_a,
        case=case,
        given_by="parent",
        purpose="referral",
        data_scope="Facts only",
        data_categories=["case_facts"],
        recipient_agency=agency_b,
        given_on=TODAY,
        expires_on=None,
        channel="web",
    )
    case_share(user=caseworker_a, case=case, agency=agency_b, consent=consent, channel="web")
    supervisor_b = make_user("supervisor", agency_b)

    assert case_name_search(user=supervisor_b, name="Mohammed")[0] == []
    html = web_client_for(supervisor_b).post("/cases/", {"name": "Mohammed"}).content.decode()
    assert case.reference not in html
    # another agency that holds nothing finds nothing
    assert case_name_search(user=make_user("caseworker", agency_b), name="Grace")[0] == []


# --- languages by name ---


@pytest.mark.parametrize(
    ("typed", "code"),
    [
        ("Arabic", "ar"),
        ("arabe", "ar"),
        ("Árabe", "ar"),
        ("العربية", "ar"),
        ("ar", "ar"),
        ("ARA", "ar"),
        ("Swahili", "sw"),
        ("kiswahili", None),
        ("Dari", "prs"),
        ("Klingonese", None),
    ],
)
def test_a_language_is_typed_by_name_or_code(typed: str, code: str | None) -> None:
    assert language_code(typed) == code


def test_languages_are_shown_by_name_in_the_readers_language() -> None:
    assert [language_name("sw", lang) for lang in ("en", "fr", "es", "ar")] == [
        "Swahili",
        "Swahili",
        "Suajili",
        "السواحيلية",
    ]
    assert language_name("ar", "fr") == "Arabe"
    assert language_name("zz") == "zz"


def test_the_childs_views_accept_a_language_name_and_show_it_by_name(
    caseworker_a: User,
) -> None:
    case = register_case(caseworker_a)
    client = web_client_for(caseworker_a)
    response = client.post(
        f"/cases/{case.id}/do/views/",
        {
            "views-decision": "plan",
            "views-views": "I want school.",
            "views-informed_language": "arabe",
            "views-interpreter_language": "Swahili",
            "views-informed_in_understandable_manner": "on",
            "views-weight_given": "Decided it.",
            "views-heard_on": str(TODAY),
        },
    )
    assert response.status_code == 302
    heard = ChildViews.objects.get()
    assert (heard.informed_language, heard.interpreter_language) == ("ar", "sw")
    with override("en"):  # the middleware leaves French active in this thread: undo it
        page = client.get(f"/cases/{case.id}/", HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    assert "Arabe (interprète: Swahili)" in page
    refused = client.post(
        f"/cases/{case.id}/do/views/",
        {
            "views-decision": "plan",
            "views-views": "x",
            "views-informed_language": "Klingonese",
            "views-informed_in_understandable_manner": "on",
            "views-weight_given": "x",
            "views-heard_on": str(TODAY),
        },
    )
    assert refused.status_code == 400
    assert "Give the language&#x27;s name or its ISO 639 code" in refused.content.decode()
    assert ChildViews.objects.count() == 1


# --- the history in words ---


def test_history_lines_have_titles_and_values_in_words_translated(caseworker_a: User) -> None:
    case = register_case(caseworker_a)
    services.case_transition(
        user=caseworker_a,
        case=case,
        expected_version=case.version,
        target="assessment",
        closure_reason="",
        channel=Channel.API,
    )
    document = services.document_upload(
        user=caseworker_a,
        case=case,
        title="Birth certificate",
        filename="b.pdf",
        content=b"%PDF-1.4\n% synthetic\n",
        channel=Channel.API,
    )

    html = web_client_for(caseworker_a).get(f"/cases/{case.id}/history/").content.decode()

    assert "A document was added" in html
    assert "<strong>Document</strong>: — → Birth certificate" in html
    assert str(document.id) not in html
    assert "The case moved to another stage" in html
    with override("ar"):
        assert change_title("transition") != "The case moved to another stage"
        assert field_label("status") != "Stage"
        assert value_words(case, "transition", "status", "assessment") != "Assessment"
    with override("en"):
        arabic = (
            web_client_for(caseworker_a)
            .get(f"/cases/{case.id}/history/", HTTP_ACCEPT_LANGUAGE="ar")
            .content.decode()
        )
    body = arabic.split("<tbody>")[1]
    assert "انتقل الملف إلى مرحلة أخرى" in body
    assert "<strong>المرحلة</strong>: تم التسجيل ← التقييم" in body  # the arrow reads right to left
    assert ">transition<" not in body


def test_the_list_shows_todays_age_with_the_age_when_identified_beside_it(
    caseworker_a: User,
) -> None:
    born = TODAY.replace(year=TODAY.year - 15) - datetime.timedelta(days=1)
    register_case(
        caseworker_a, date_of_birth=born, identified_on=TODAY - datetime.timedelta(days=800)
    )
    html = web_client_for(caseworker_a).get("/cases/").content.decode()
    age = '<td data-testid="age" data-label="Age">15 <span class="help">(12 when identified)</span>'
    assert age + "</td>" in html


def test_the_case_page_shows_todays_age_with_the_age_when_identified_beside_it(
    caseworker_a: User,
) -> None:
    born = TODAY.replace(year=TODAY.year - 15) - datetime.timedelta(days=1)
    case = register_case(
        caseworker_a, date_of_birth=born, identified_on=TODAY - datetime.timedelta(days=800)
    )
    html = web_client_for(caseworker_a).get(f"/cases/{case.id}/").content.decode()
    assert '<dd data-testid="age">15 <span class="help">(12 when identified)</span></dd>' in html
