"""The pages: the public form (abuse refused or throttled, the reference never in an address),
the status look-up, and the hotline's pages through a signed-in client."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from safepath.accounts.models import Agency, User
from safepath.online.models import HashBank, IntakeAttempt, OnlineReport, ReportMedia
from safepath.online.tests import images
from safepath.online.tests.app.conftest import KNOWN_SEEDS, SMALL, bank_text

GOOD = {"kind": "image", "url": "https://example.org/x", "anonymous": "on"}


def _post_report(client: Client, **overrides: str) -> object:
    return client.post("/online/report/", {**GOOD, **overrides}, REMOTE_ADDR="198.51.100.7")


@pytest.mark.django_db
def test_a_report_without_an_account_gives_a_reference_outside_the_address(
    client: Client, hotline: Agency
) -> None:
    response = _post_report(client)
    assert response.status_code == 302
    assert response["Location"] == "/online/report/thanks/"
    thanks = client.get("/online/report/thanks/")
    reference = thanks.context["reference"]
    assert reference.startswith("HR-")
    assert len(reference) == 17
    assert reference not in response["Location"]
    # shown once only
    assert client.get("/online/report/thanks/").status_code == 302
    status = client.post("/online/status/", {"reference": reference.lower()})
    assert status.context["found"]["state"] == "received"
    report = OnlineReport.objects.get()
    assert report.anonymous
    assert report.contact == ""
    assert reference not in str(OnlineReport.objects.values_list().get())  # only its keyed hash


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("description", "<script>alert(1)</script>"),
        ("url", "javascript:alert(1)"),
        ("platform", '<img src=x onerror="alert(1)">'),
        ("url", "https://example.org/" + "a" * 5000),
    ],
)
def test_injection_and_enormous_addresses_are_refused(
    client: Client, hotline: Agency, field: str, value: str
) -> None:
    response = _post_report(client, **{field: value})
    assert response.status_code == 400
    assert not OnlineReport.objects.exists()
    assert value not in response.content.decode()[:200]


@pytest.mark.django_db
def test_an_enormous_body_is_refused(client: Client, hotline: Agency) -> None:
    response = _post_report(client, description="x" * 2_000_000)
    assert response.status_code == 400
    assert not OnlineReport.objects.exists()


@pytest.mark.django_db
def test_a_flood_from_one_address_is_throttled(
    client: Client, hotline: Agency, settings: object
) -> None:
    settings.ONLINE_REPORT_PER_HOUR = 3  # type: ignore[attr-defined]
    codes = [_post_report(client).status_code for _ in range(5)]
    assert codes == [302, 302, 302, 429, 429]
    assert OnlineReport.objects.count() == 3
    other = client.post("/online/report/", GOOD, REMOTE_ADDR="203.0.113.9")
    assert other.status_code == 302
    # addresses are kept only as keyed hashes
    assert not IntakeAttempt.objects.filter(address_index__contains="198.51").exists()


@pytest.mark.django_db
def test_status_guessing_is_throttled(client: Client, hotline: Agency, settings: object) -> None:
    settings.ONLINE_STATUS_PER_HOUR = 2  # type: ignore[attr-defined]
    codes = [
        client.post("/online/status/", {"reference": "HR-0000-0000-0000"}).status_code
        for _ in range(3)
    ]
    assert codes == [404, 404, 429]


@pytest.mark.django_db
def test_public_pages_work_in_every_language(client: Client, hotline: Agency) -> None:
    for language in ("en", "fr", "es", "ar"):
        response = client.get("/online/report/", HTTP_ACCEPT_LANGUAGE=language)
        assert response.status_code == 200
        assert f'lang="{language}"' in response.content.decode()


@pytest.mark.django_db
def test_hotline_pages(
    web_as: Callable[[User], Client],
    analyst: User,
    known_bank: HashBank,
    report: OnlineReport,
) -> None:
    client = web_as(analyst)
    for url in (
        "/online/",
        f"/online/reports/{report.id}/",
        "/online/match/",
        "/online/banks/",
        "/online/adverts/",
        "/online/dashboard/",
        "/online/hand-offs/",
    ):
        assert client.get(url).status_code == 200, url
    response = client.post(
        f"/online/reports/{report.id}/media/",
        {"upload": [SimpleUploadedFile("a.jpg", images.half_size_jpeg(KNOWN_SEEDS[1], **SMALL))]},
    )
    assert response.status_code == 302
    assert ReportMedia.objects.get().matches.get().bank == known_bank
    page = client.get(f"/online/reports/{report.id}/").content.decode()
    assert "test-known" in page
    assert "Triage signal, not a finding" in page
    assert "<img" not in page  # the media is never shown
    matched = client.post(
        "/online/match/",
        {"upload": [SimpleUploadedFile("b.png", images.png(KNOWN_SEEDS[2], **SMALL))]},
    )
    assert matched.status_code == 200
    assert [m.bank for m in matched.context["results"][0].matches] == ["test-known"] * 2


@pytest.mark.django_db
def test_oversize_and_bad_files_on_the_page(
    web_as: Callable[[User], Client], analyst: User, report: OnlineReport, settings: object
) -> None:
    client = web_as(analyst)
    bad = client.post(
        f"/online/reports/{report.id}/media/",
        {"upload": [SimpleUploadedFile("notes.txt", b"hello")]},
    )
    assert bad.status_code == 400
    assert "notes.txt" in bad.content.decode()
    settings.ONLINE_MAX_FILE_BYTES = 500  # type: ignore[attr-defined]
    big = client.post(
        f"/online/reports/{report.id}/media/",
        {"upload": [SimpleUploadedFile("big.png", images.png(3, **SMALL))]},
    )
    assert big.status_code == 400
    assert "big.png" in big.content.decode()
    assert not ReportMedia.objects.exists()


@pytest.mark.django_db
def test_a_malformed_bank_is_refused_naming_the_line(
    web_as: Callable[[User], Client], hotline_supervisor: User
) -> None:
    client = web_as(hotline_supervisor)
    content = bank_text((1,)) + b"pdq not-a-hash\n"
    response = client.post(
        "/online/banks/",
        {
            "file": SimpleUploadedFile("list.txt", content),
            "name": "broken",
            "source": "s",
            "licence": "l",
            "match_scope": "owner",
            "pdq_threshold": 31,
        },
    )
    assert response.status_code == 400
    assert "list.txt, line 4" in response.content.decode()
    assert not HashBank.objects.exists()


@pytest.mark.django_db
def test_outsiders_get_404_on_hotline_pages(
    web_as: Callable[[User], Client], caseworker_a: User, report: OnlineReport
) -> None:
    client = web_as(caseworker_a)
    for url in (
        "/online/",
        f"/online/reports/{report.id}/",
        "/online/match/",
        "/online/banks/",
        "/online/adverts/",
        "/online/dashboard/",
    ):
        assert client.get(url).status_code == 404, url
    # child protection answers hand-offs: its list is open to it (and empty here)
    assert client.get("/online/hand-offs/").context["rows"] == []


@pytest.fixture
def web_as() -> Callable[[User], Client]:
    from safepath.testing.fixtures import web_client_for

    return web_client_for
