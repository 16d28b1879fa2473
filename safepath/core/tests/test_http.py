"""Health check, security headers, API schema and docs, and the production guard rails."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from unittest import mock

import pytest
from django.db.utils import OperationalError
from django.test import Client


@pytest.mark.django_db
def test_healthz_answers_ok_once_the_database_answers(client: Client) -> None:
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json()["status"] == "ok"


@pytest.mark.django_db
def test_healthz_says_unavailable_when_the_database_does_not(client: Client) -> None:
    with mock.patch("safepath.core.views.connection.cursor", side_effect=OperationalError):
        response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["status"] == "unavailable"


@pytest.mark.django_db
def test_pages_carry_security_headers(client: Client) -> None:
    response = client.get("/accounts/login/")
    csp = response["Content-Security-Policy"]
    assert "script-src 'self'" in csp
    assert "unsafe-inline" not in csp
    assert "frame-ancestors 'none'" in csp
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert len(response["X-Request-ID"]) == 36
    assert re.fullmatch(r"app;dur=\d+\.\d", response["Server-Timing"])
    assert b"<script>" not in response.content  # no inline script anywhere
    assert b"csrfmiddlewaretoken" in response.content


@pytest.mark.django_db
def test_forms_refuse_posts_without_csrf_token() -> None:
    client = Client(enforce_csrf_checks=True)
    response = client.post("/accounts/login/", {"username": "x", "password": "y"})
    assert response.status_code == 403


@pytest.mark.django_db
def test_openapi_schema_and_offline_docs(client: Client) -> None:
    schema = client.get("/api/schema/?format=json")
    assert schema.status_code == 200
    paths = schema.json()["paths"]
    for path in ["/api/v1/auth/token/", "/api/v1/cases/", "/api/v1/cases/{case_id}/"]:
        assert path in paths
    docs = client.get("/api/docs/")
    assert docs.status_code == 200
    assert b"/static/drf_spectacular_sidecar/swagger-ui-dist/" in docs.content
    assert b"cdn" not in docs.content.lower()


@pytest.mark.django_db
def test_unknown_api_paths_answer_json(client: Client) -> None:
    response = client.get("/api/v1/no-such-thing/")
    assert response.status_code == 404
    assert response.json() == {"detail": "Not found.", "code": "not_found"}


def _start(env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    base = {k: v for k, v in os.environ.items() if not k.startswith(("SAFEPATH_", "DATABASE_URL"))}
    base["DJANGO_SETTINGS_MODULE"] = "safepath.config.settings"
    return subprocess.run(
        [sys.executable, "-m", "safepath", "check"],
        env={**base, **env},
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


@pytest.mark.parametrize(
    ("env", "missing"),
    [
        ({}, "SAFEPATH_SECRET_KEY"),
        ({"SAFEPATH_SECRET_KEY": "x" * 50}, "SAFEPATH_KEYRING_FILE"),
    ],
)
def test_production_refuses_to_start_without_secrets(
    env: dict[str, str], missing: str, tmp_path
) -> None:  # type: ignore[no-untyped-def]
    result = _start({"SAFEPATH_MODE": "production", "SAFEPATH_DATA_DIR": str(tmp_path), **env})
    assert result.returncode != 0
    assert missing in result.stderr
    assert "cannot start" in result.stderr


def test_production_starts_with_secrets_from_files(tmp_path) -> None:  # type: ignore[no-untyped-def]
    from safepath.core import keyring

    secret = tmp_path / "secret"
    secret.write_text("s" * 50)
    ring = tmp_path / "ring.json"
    keyring.write_file(ring, keyring.generate())
    result = _start(
        {
            "SAFEPATH_MODE": "production",
            "SAFEPATH_DATA_DIR": str(tmp_path),
            "SAFEPATH_SECRET_KEY_FILE": str(secret),
            "SAFEPATH_KEYRING_FILE": str(ring),
        }
    )
    assert result.returncode == 0, result.stderr
    assert not (tmp_path / "secrets").exists()  # production never makes its own keys


def test_debug_is_off_unless_asked_for(settings) -> None:  # type: ignore[no-untyped-def]
    assert settings.DEBUG is False
