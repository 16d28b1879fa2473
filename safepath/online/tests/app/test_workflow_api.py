"""The hotline's whole path through the API: intake, hashes, assessment, notice, escalation
with an injected clock, removal, export, law enforcement; and what is (not) stored."""

from __future__ import annotations

import datetime
from collections.abc import Callable

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from rest_framework.test import APIClient

from safepath.accounts.models import User
from safepath.online import services
from safepath.online.models import (
    AssessedHash,
    HashBank,
    Notice,
    NoticeEscalation,
    OnlineReport,
    ReportMedia,
    ReportStatus,
    TakedownEvent,
)
from safepath.online.reports import validate_cybertip
from safepath.online.tests import images
from safepath.online.tests.app.conftest import KNOWN_SEEDS, SMALL


def _files(*blobs: tuple[str, bytes]) -> list[SimpleUploadedFile]:
    return [SimpleUploadedFile(name, data, content_type="image/png") for name, data in blobs]


def _assess(client: APIClient, report: OnlineReport, **extra: object) -> dict[str, object]:
    body = {
        "classification": "baseline",
        "content_type": "image",
        "age_group": "prepubescent",
        "hosting_country": "NL",
        "hosting_ip": "192.0.2.10",
        "hosting_provider": "Example Hosting BV",
        "registrar": "Example Registrar",
        "version": report.version,
    }
    body.update(extra)
    response = client.post(f"/api/v1/online/reports/{report.id}/assessments/", body, format="json")
    assert response.status_code == 201, response.json()
    return dict(response.json())


def test_whole_path(
    api_as: Callable[..., APIClient],
    analyst: User,
    hotline_supervisor: User,
    known_bank: HashBank,
    report: OnlineReport,
) -> None:
    client = api_as(analyst)
    queue = client.get("/api/v1/online/reports/").json()
    assert [r["id"] for r in queue["results"]] == [str(report.id)]

    # hash a known item (a half-size JPEG copy of a banked image) and an unknown one
    response = client.post(
        f"/api/v1/online/reports/{report.id}/media/",
        {
            "files": _files(
                ("copy.jpg", images.half_size_jpeg(KNOWN_SEEDS[0], **SMALL)),
                ("other.png", images.png(999, **SMALL)),
            )
        },
        format="multipart",
    )
    assert response.status_code == 201, response.json()
    media = response.json()
    assert [m["bank"] for m in media[0]["matches"]] == ["test-known"]
    assert media[0]["matches"][0]["kind"] == "pdq"
    assert media[0]["matches"][0]["distance"] <= 31
    assert media[1]["matches"] == []
    assert all("not a finding" in m["notice"] for m in media)
    report.refresh_from_db()
    assert report.hash_matched
    # only hashes are kept
    stored = ReportMedia.objects.filter(report=report)
    assert {len(m.pdq) for m in stored} == {64}

    _assess(client, report)
    report.refresh_from_db()
    assert report.status == ReportStatus.ASSESSED
    assert AssessedHash.objects.filter(hotline=report.hotline_id).count() == 6

    sent = timezone.now()
    response = client.post(
        f"/api/v1/online/reports/{report.id}/notices/",
        {"recipient_type": "hotline", "recipient_name": "Hotline NL", "recipient_country": "NL"},
        format="json",
    )
    assert response.status_code == 201, response.json()
    notice = Notice.objects.get(pk=response.json()["id"])
    assert "example.org/gallery/1" in notice.body

    # the clock, injected: nothing at 23 h, level 1 at 24 h, level 2 (supervisors) at 72 h
    assert services.notices_escalate_overdue(now=sent + datetime.timedelta(hours=23)).people == 0
    run = services.notices_escalate_overdue(now=sent + datetime.timedelta(hours=25))
    assert run.escalated == [str(notice.id)]
    assert list(NoticeEscalation.objects.values_list("level", "recipient")) == [(1, analyst.id)]
    again = services.notices_escalate_overdue(now=sent + datetime.timedelta(hours=26))
    assert again.people == 0  # idempotent
    services.notices_escalate_overdue(now=sent + datetime.timedelta(hours=73))
    assert set(NoticeEscalation.objects.filter(level=2).values_list("recipient", flat=True)) == {
        analyst.id,
        hotline_supervisor.id,
    }
    notice.refresh_from_db()
    assert notice.escalation_level == 2
    assert notice.next_escalation_at is None

    response = client.post(f"/api/v1/online/notices/{notice.id}/removal/")
    assert response.status_code == 200
    assert response.json()["status"] == "removed"
    assert not NoticeEscalation.objects.filter(resolved_at__isnull=True).exists()
    report.refresh_from_db()
    assert report.status == ReportStatus.REMOVED

    supervisor = api_as(hotline_supervisor)
    response = supervisor.post(
        f"/api/v1/online/reports/{report.id}/law-enforcement/",
        {"agency_name": "National Police cybercrime unit", "reason": "Baseline material."},
        format="json",
    )
    assert response.status_code == 201

    response = client.post(f"/api/v1/online/reports/{report.id}/exports/")
    assert response.status_code == 201
    assert response.json()["valid"], response.json()["validation_errors"]
    xml = client.get(response.json()["download"])
    assert xml["Content-Type"] == "application/xml"
    assert validate_cybertip(xml.content) == []
    assert b"<fileViewedByEsp>false</fileViewedByEsp>" in xml.content
    assert b'knownMatch bank="test-known"' in xml.content
    steps = list(TakedownEvent.objects.filter(report=report).values_list("step", flat=True))
    for step in ("received", "assessed", "notice_sent", "escalated", "removal_confirmed"):
        assert step in steps


def test_known_item_is_recognised_and_assessed_without_viewing(
    api_as: Callable[..., APIClient], analyst: User, known_bank: HashBank, hotline: object
) -> None:
    from safepath.online.tests.app.conftest import submit

    client = api_as(analyst)
    first = submit()
    client.post(
        f"/api/v1/online/reports/{first.id}/media/",
        {"files": _files(("a.png", images.png(500, **SMALL)))},
        format="multipart",
    )
    _assess(client, first)
    second = submit(url="https://example.net/elsewhere")
    response = client.post(
        f"/api/v1/online/reports/{second.id}/media/",
        {"files": _files(("b.jpg", images.half_size_jpeg(500, **SMALL)))},
        format="multipart",
    )
    assert response.json()[0]["known_classification"] == "baseline"
    _assess(client, second, from_known_hash=True)
    refused = submit(url="https://example.net/third")
    client.post(
        f"/api/v1/online/reports/{refused.id}/media/",
        {"files": _files(("c.png", images.png(501, **SMALL)))},
        format="multipart",
    )
    response = client.post(
        f"/api/v1/online/reports/{refused.id}/assessments/",
        {
            "classification": "baseline",
            "content_type": "image",
            "age_group": "unknown",
            "from_known_hash": True,
            "version": 1,
        },
        format="json",
    )
    assert response.status_code == 400
    assert "classification" in response.json()["fields"]


@pytest.mark.parametrize(
    ("name", "data", "reason"),
    [
        ("notes.txt", b"just some text, not an image", "not an image"),
        ("broken.png", images.png(7, **SMALL)[:200], "damaged"),
        ("empty.png", b"", "empty"),
    ],
)
def test_bad_files_are_refused_by_name_and_nothing_is_stored(
    api_as: Callable[..., APIClient],
    analyst: User,
    report: OnlineReport,
    name: str,
    data: bytes,
    reason: str,
) -> None:
    client = api_as(analyst)
    response = client.post(
        f"/api/v1/online/reports/{report.id}/media/",
        {"files": _files(("good.png", images.png(8, **SMALL)), (name, data))},
        format="multipart",
    )
    assert response.status_code == 400
    message = " ".join(response.json()["fields"]["files"])
    assert name in message
    assert reason in message
    assert not ReportMedia.objects.exists()


def test_oversize_file_is_refused(
    api_as: Callable[..., APIClient],
    analyst: User,
    report: OnlineReport,
    settings: object,
) -> None:
    settings.ONLINE_MAX_FILE_BYTES = 1000  # type: ignore[attr-defined]
    response = api_as(analyst).post(
        f"/api/v1/online/reports/{report.id}/media/",
        {"files": _files(("big.png", images.png(9, **SMALL)))},
        format="multipart",
    )
    assert response.status_code == 400
    assert "big.png" in response.json()["fields"]["files"][0]
    assert not ReportMedia.objects.exists()


def test_notice_needs_an_illegal_assessment(
    api_as: Callable[..., APIClient], analyst: User, report: OnlineReport
) -> None:
    client = api_as(analyst)
    response = client.post(
        f"/api/v1/online/reports/{report.id}/notices/",
        {"recipient_type": "hosting_provider", "recipient_name": "Host"},
        format="json",
    )
    assert response.status_code == 400
    assert response.json()["code"] == "not_assessed"
    assert not Notice.objects.exists()


def test_stale_assessment_is_refused(
    api_as: Callable[..., APIClient], analyst: User, report: OnlineReport
) -> None:
    client = api_as(analyst)
    _assess(client, report)
    response = client.post(
        f"/api/v1/online/reports/{report.id}/assessments/",
        {
            "classification": "not_illegal",
            "content_type": "image",
            "age_group": "unknown",
            "version": 1,
        },
        format="json",
    )
    assert response.status_code == 409
    report.refresh_from_db()
    assert report.status == ReportStatus.ASSESSED


def test_reappearance_restarts_the_timers(
    api_as: Callable[..., APIClient], analyst: User, report: OnlineReport
) -> None:
    client = api_as(analyst)
    _assess(client, report)
    notice_id = client.post(
        f"/api/v1/online/reports/{report.id}/notices/",
        {"recipient_type": "hosting_provider", "recipient_name": "Example Hosting BV"},
        format="json",
    ).json()["id"]
    client.post(f"/api/v1/online/notices/{notice_id}/removal/")
    response = client.post(f"/api/v1/online/notices/{notice_id}/reappearance/")
    assert response.json()["status"] == "reappeared"
    notice = Notice.objects.get(pk=notice_id)
    assert notice.reappeared_at is not None
    assert notice.next_escalation_at == notice.reappeared_at + datetime.timedelta(hours=24)
    report.refresh_from_db()
    assert report.status == ReportStatus.NOTICE_SENT
