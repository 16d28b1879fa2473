"""``safepath finance``: synth -> screen -> report, bad input exits 2 and writes nothing."""

from __future__ import annotations

import json
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from safepath.testing.fixtures import call_cli

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def synth_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("synth")
    code, stdout, _ = call_cli(
        "finance",
        "synth",
        "--customers",
        "300",
        "--days",
        "100",
        "--seed",
        "3",
        "--out",
        str(out),
        "--format",
        "json",
    )
    assert code == 0
    assert json.loads(stdout)["injected"]
    return out


def test_screen_prints_the_issue_shape_and_writes_alerts(synth_dir: Path, tmp_path: Path) -> None:
    out = tmp_path / "alerts.json"
    code, stdout, _ = call_cli(
        "finance",
        "screen",
        "--transactions",
        str(synth_dir / "transactions.parquet"),
        "--customers",
        str(synth_dir / "customers.parquet"),
        "--out",
        str(out),
        "--format",
        "json",
    )
    assert code == 0
    alerts = json.loads(stdout)
    assert alerts == json.loads(out.read_text())
    truth = {
        line.split(",")[0].strip('"')
        for line in (synth_dir / "ground_truth.csv").read_text().splitlines()[1:]
    }
    assert truth <= {a["customer_id"] for a in alerts}
    first = alerts[0]
    assert {"customer_id", "score", "typologies", "rules"} <= set(first)
    assert {"id", "evidence_txn_ids"} <= set(first["rules"][0])


def test_report_renders_and_validates(synth_dir: Path, tmp_path: Path) -> None:
    alerts = tmp_path / "alerts.json"
    args = [
        "--transactions",
        str(synth_dir / "transactions.parquet"),
        "--customers",
        str(synth_dir / "customers.parquet"),
    ]
    assert call_cli("finance", "screen", *args, "--out", str(alerts))[0] == 0
    customer = json.loads(alerts.read_text())[0]["customer_id"]
    xml = tmp_path / "str.xml"
    code, stdout, _ = call_cli(
        "finance",
        "report",
        "--alerts",
        str(alerts),
        "--customer",
        customer,
        *args,
        "--profile",
        "test",
        "--out",
        str(xml),
        "--format",
        "json",
    )
    assert code == 0
    assert json.loads(stdout)["valid"] is True
    assert xml.read_bytes().startswith(b"<?xml")


def test_bad_input_exits_2_names_row_and_field_and_writes_nothing(tmp_path: Path) -> None:
    txns = tmp_path / "t.csv"
    txns.write_text(
        "txn_id,ts_utc,customer_id,amount,currency,direction,channel\nT1,yesterday,C1,5,USD,out,wire\n"
    )
    customers = tmp_path / "c.csv"
    customers.write_text("customer_id\nC1\n")
    out = tmp_path / "alerts.json"
    with pytest.raises(CommandError) as caught:
        call_command(
            "finance",
            "screen",
            "--transactions",
            str(txns),
            "--customers",
            str(customers),
            "--out",
            str(out),
            stdout=StringIO(),
            stderr=StringIO(),
        )
    assert caught.value.returncode == 2
    assert f"{txns}, row 2, field ts_utc: not an ISO 8601 timestamp" in str(caught.value)
    assert not out.exists()


def test_rules_lists_every_rule_with_its_source() -> None:
    code, stdout, _ = call_cli("finance", "rules", "--format", "json")
    assert code == 0
    rules = json.loads(stdout)
    assert len(rules) >= 30
    assert all(r["source"] for r in rules)
