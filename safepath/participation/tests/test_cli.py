"""``safepath participation``: validate (files only), files, results, escalate, safeguarding-lead;
bad input exits with code 2 and names the file, question and field; nothing is stored."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from django.core.management.base import CommandError

from safepath.accounts.models import Agency, User
from safepath.participation import consultations
from safepath.participation.models import Consultation, SafeguardingLead
from safepath.participation.tests.conftest import submit
from safepath.testing.fixtures import call_cli


def _fails(*args: str) -> str:
    with pytest.raises(CommandError) as caught:
        call_cli("participation", *args)
    assert caught.value.returncode == 2
    return str(caught.value)


def test_validate_the_shipped_files_without_a_database() -> None:
    code, out, _ = call_cli("participation", "validate", "--format", "json")
    assert code == 0
    data = json.loads(out)
    assert data["consultations"] == ["feeling-safe-young@2026.1", "services-experience@2026.1"]
    assert data["information"] == ["case-steps", "your-rights", "your-data"]


def test_validate_a_broken_file_names_the_question(tmp_path: Path) -> None:
    folder = tmp_path / "services-experience"
    folder.mkdir()
    target = folder / "2026.1.json"
    shutil.copy(consultations.CONSULTATION_DIR / "services-experience" / "2026.1.json", target)
    target.write_text(
        target.read_text(encoding="utf-8").replace(
            '"question": "listened"', '"question": "listend"'
        ),
        encoding="utf-8",
    )
    message = _fails("validate", str(target))
    assert (
        "services-experience/2026.1.json, question listen_better, field show_if.question" in message
    )
    assert "'listend' is not an earlier question" in message


def test_files_as_json() -> None:
    code, out, _ = call_cli("participation", "files", "--format", "json")
    assert code == 0
    assert {row["id"] for row in json.loads(out)} == {"services-experience", "feeling-safe-young"}


@pytest.mark.django_db
def test_results_as_json(facilitator: User, consultation: Consultation) -> None:
    for _ in range(12):
        submit(facilitator, consultation, {"felt_safe": "very"})
    code, out, _ = call_cli("participation", "results", str(consultation.id), "--format", "json")
    assert code == 0
    data = json.loads(out)
    assert data["taking_part"] == {"_T|12-15": 0, "_T|16-17": 12, "_T|_T": 12}
    assert data["questions"]["felt_safe"]["very|_T"] == 12
    assert "bad input: no consultation" in _fails("results", "7b8f1c55-3b7e-4b0a-9d2d-3d1c0d1f0a00")
    assert "--k must be at least 2" in _fails("results", str(consultation.id), "--k", "1")


@pytest.mark.django_db
def test_escalate_as_json() -> None:
    code, out, _ = call_cli("participation", "escalate", "--format", "json")
    assert code == 0
    assert json.loads(out)["escalated"] == []


@pytest.mark.django_db
def test_name_a_safeguarding_lead(ngo: Agency, supervisor: User, worker: User) -> None:
    code, _out, _ = call_cli(
        "participation",
        "safeguarding-lead",
        "--agency",
        "ngo",
        "--lead",
        "worker.ngo",
        "--deputy",
        "supervisor.ngo",
    )
    assert code == 0
    lead = SafeguardingLead.objects.get()
    assert (lead.lead, lead.deputy) == (worker, supervisor)
    assert "no user 'ghost'" in _fails("safeguarding-lead", "--agency", "ngo", "--lead", "ghost")
    assert "no agency with the code 'nope'" in _fails(
        "safeguarding-lead", "--agency", "nope", "--lead", "worker.ngo"
    )
    assert "deputy: The deputy must be someone else" in _fails(
        "safeguarding-lead", "--agency", "ngo", "--lead", "worker.ngo", "--deputy", "worker.ngo"
    )
    assert SafeguardingLead.objects.get().deputy == supervisor
