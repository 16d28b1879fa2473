"""Encodings leave only for children whose consent to matching is in force; audited by count."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from django.core.management.base import CommandError

from safepath.accounts.models import Agency, User
from safepath.audit.models import AuditEvent
from safepath.cases.models import Case
from safepath.linkage.engine.pprl import default_schema
from safepath.linkage.models import EncodingExport, ExportedRecord, MatchRequest
from safepath.linkage.tests.app.conftest import (
    MATCHING,
    TRACING,
    expired,
    give_consent,
    withdrawn,
)
from safepath.testing.factories import register_case
from safepath.testing.fixtures import api_client_for, call_cli, web_client_for

pytestmark = pytest.mark.django_db


@pytest.fixture
def files(tmp_path: Path) -> dict[str, Path]:
    schema = tmp_path / "schema.json"
    schema.write_text(json.dumps(default_schema()), encoding="utf-8")
    secret = tmp_path / "secret.key"
    secret.write_bytes(b"a shared secret of thirty-two by\n")
    return {"schema": schema, "secret": secret, "output": tmp_path / "clks.json"}


@pytest.fixture
def consented(caseworker_a: User) -> dict[str, Case]:
    cases = {
        name: register_case(caseworker_a, given_name=name, family_name="Exportchild")
        for name in ("Consenting", "Expired", "Withdrawn", "TracingOnly", "Nothing")
    }
    give_consent(cases["Consenting"], MATCHING)
    expired(cases["Expired"], MATCHING)
    withdrawn(cases["Withdrawn"], MATCHING)
    give_consent(cases["TracingOnly"], TRACING)
    return cases


def _export(files: dict[str, Path], agency: str = "a", *extra: str) -> tuple[int, str, str]:
    return call_cli(
        "pprl_export",
        "--schema",
        str(files["schema"]),
        "--secret-file",
        str(files["secret"]),
        "--agency",
        agency,
        "--output",
        str(files["output"]),
        *extra,
    )


def test_only_children_with_matching_consent_in_force_are_exported(
    files: dict[str, Path], consented: dict[str, Case], agency_a: Agency
) -> None:
    code, out, err = _export(files, "a", "--format", "json")

    assert code == 0, err
    summary = json.loads(out)
    assert (summary["exported"], summary["excluded_without_consent"]) == (1, 4)
    document = json.loads(files["output"].read_text(encoding="utf-8"))
    assert len(document["clks"]) == len(document["record_ids"]) == 1
    record = ExportedRecord.objects.get()
    assert document["record_ids"] == [record.record_id]
    assert record.case == consented["Consenting"]
    text = files["output"].read_text(encoding="utf-8")
    assert "Exportchild" not in text
    assert str(record.case_id) not in text
    event = AuditEvent.objects.get(object_type="linkage.encodings")
    assert event.action == "export"
    assert event.channel == "cli"
    assert event.details == {
        "agency": str(agency_a.pk),
        "schema": EncodingExport.objects.get().schema_id,
        "exported": 1,
        "excluded_without_consent": 4,
    }


def test_exports_use_fresh_ids_each_time(
    files: dict[str, Path], consented: dict[str, Case]
) -> None:
    _export(files)
    first = json.loads(files["output"].read_text(encoding="utf-8"))
    _export(files)
    second = json.loads(files["output"].read_text(encoding="utf-8"))
    assert first["clks"] == second["clks"]  # same child, same key: same encoding
    assert first["record_ids"] != second["record_ids"]


@pytest.mark.parametrize(
    ("problem", "message"),
    [
        ("agency", "agency: No active agency has this code."),
        ("schema", "schema.json: not JSON"),
        ("schema_v2", "schema.json: schema: version must be 3"),
        ("secret", "secret.key: the secret must be at least 16 bytes"),
    ],
)
def test_bad_input_exits_2_and_stores_nothing(
    problem: str, message: str, files: dict[str, Path], consented: dict[str, Case]
) -> None:
    agency = "nope" if problem == "agency" else "a"
    if problem == "schema":
        files["schema"].write_text("{not json", encoding="utf-8")
    if problem == "schema_v2":
        files["schema"].write_text('{"version": 2}', encoding="utf-8")
    if problem == "secret":
        files["secret"].write_bytes(b"short\n")

    with pytest.raises(CommandError) as raised:
        _export(files, agency)

    assert raised.value.returncode == 2
    assert message in str(raised.value)
    assert not EncodingExport.objects.exists()
    assert not files["output"].exists()


def test_returned_matches_become_formal_requests_never_disclosures(
    files: dict[str, Path],
    consented: dict[str, Case],
    supervisor_a: User,
    supervisor_b: User,
) -> None:
    _export(files)
    local_id = json.loads(files["output"].read_text(encoding="utf-8"))["record_ids"][0]
    url = "/api/v1/linkage/requests/cross-border/"
    body = {
        "counterpart": "UG child protection",
        "matches": [{"local_record_id": local_id, "remote_record_id": "r-17", "score": 0.91}],
    }

    # Another agency cannot claim this agency's exported ids.
    denied = api_client_for(supervisor_b).post(url, body, format="json")
    assert denied.status_code == 400
    assert "matches.0.local_record_id" in denied.json()["fields"]
    assert not MatchRequest.objects.exists()

    created = api_client_for(supervisor_a).post(url, body, format="json")

    assert created.status_code == 201, created.json()
    request = MatchRequest.objects.get()
    assert (request.kind, request.local_record_id, request.remote_record_id, request.score) == (
        "cross_border",
        local_id,
        "r-17",
        0.91,
    )
    assert request.status == "open"
    listed = api_client_for(supervisor_a).get("/api/v1/linkage/requests/").json()["results"]
    assert [row["id"] for row in listed] == [str(request.id)]
    assert "Exportchild" not in json.dumps(listed)
    queue = web_client_for(supervisor_a).get("/linkage/").content.decode()
    assert "UG child protection" in queue
    assert consented["Consenting"].reference in queue


def test_the_export_is_read_by_safepath_pprl_match(
    files: dict[str, Path], consented: dict[str, Case], caseworker_b: User, tmp_path: Path
) -> None:
    """A counterpart encodes the same child from its own register; the match finds it."""
    _export(files)
    ours = json.loads(files["output"].read_text(encoding="utf-8"))
    theirs = tmp_path / "theirs.csv"
    theirs.write_text(
        "record_id,given_name,family_name,sex,date_of_birth\n"
        "ug-1,Consenting,Exportchild,female,2012-05-17\n"
        "ug-2,Someone,Else,male,2001-01-01\n",
        encoding="utf-8",
    )
    remote = tmp_path / "remote.json"
    code, _out, err = call_cli(
        "pprl",
        "encode",
        "--schema",
        str(files["schema"]),
        "--secret-file",
        str(files["secret"]),
        "--input",
        str(theirs),
        "--output",
        str(remote),
    )
    assert code == 0, err
    pairs = tmp_path / "pairs.csv"
    code, _out, err = call_cli(
        "pprl",
        "match",
        "--left",
        str(files["output"]),
        "--right",
        str(remote),
        "--output",
        str(pairs),
    )
    assert code == 0, err
    lines = pairs.read_text(encoding="utf-8").splitlines()
    assert len(lines) == 2
    assert lines[1].startswith(f"{ours['record_ids'][0]},ug-1,")
