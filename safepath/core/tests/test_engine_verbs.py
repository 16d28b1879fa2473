"""Engine verbs run with nothing configured; other verbs say exactly what they need.

The standalone runs are real: the ``safepath`` script in a subprocess, in an empty folder,
with an environment holding nothing but PATH and HOME, as someone trying SafePath would.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from django.core.management import get_commands, load_command_class

from safepath.cli import ENGINE_SETTINGS, FULL_SETTINGS, settings_module
from safepath.config import env
from safepath.core import engine_verbs

SAFEPATH = str(Path(sys.executable).parent / "safepath")


# --- the declaration ---------------------------------------------------------------------------


def test_every_command_declares_the_same_verbs_statically_and_at_run_time() -> None:
    commands = {n: app for n, app in get_commands().items() if app.startswith("safepath.")}
    assert {"screen", "link", "pprl", "finance", "evidence", "keys", "samples"} <= set(commands)
    for name, app in commands.items():
        path = engine_verbs.command_file(name)
        assert path is not None, name
        runtime = tuple(getattr(load_command_class(app, name), "engine_verbs", ()))
        assert engine_verbs.declared(path) == runtime, name


@pytest.mark.parametrize(
    ("argv", "settings"),
    [
        (["screen", "describe", "sscst-6"], ENGINE_SETTINGS),
        (["finance", "screen", "--transactions", "t.csv"], ENGINE_SETTINGS),
        (["link", "dedupe", "--input", "x.csv"], ENGINE_SETTINGS),
        (["pprl", "match", "--left", "a"], ENGINE_SETTINGS),
        (["evidence", "table", "--file", "c.csv", "--by", "gender"], ENGINE_SETTINGS),
        (["evidence", "table", "--file=c.csv", "--by", "gender"], ENGINE_SETTINGS),
        (["evidence", "table", "--source", "cases", "--by", "gender"], FULL_SETTINGS),
        (["evidence", "import-ctdc", "c.csv", "--name", "x"], FULL_SETTINGS),
        (["keys", "init", "/tmp/ring.json"], ENGINE_SETTINGS),  # noqa: S108 - never written
        (["keys", "rotate"], FULL_SETTINGS),
        (["samples", "try"], ENGINE_SETTINGS),
        (["audit", "verify"], FULL_SETTINGS),
        (["migrate"], FULL_SETTINGS),
        (["runserver"], FULL_SETTINGS),
        (["audit", "--help"], ENGINE_SETTINGS),
        ([], ENGINE_SETTINGS),
        (["help"], ENGINE_SETTINGS),
        (["screen"], FULL_SETTINGS),  # no verb: argparse's own error, in full settings
        (["../../etc", "x"], FULL_SETTINGS),
    ],
)
def test_the_script_picks_settings_by_declaration(argv: list[str], settings: str) -> None:
    assert settings_module(argv) == settings


def test_a_declaration_must_be_a_literal(tmp_path: Path) -> None:
    path = tmp_path / "cmd.py"
    path.write_text("VERBS = ('a',)\nclass Command:\n    engine_verbs = VERBS\n", "utf-8")
    with pytest.raises(engine_verbs.DeclarationError, match="literal tuple"):
        engine_verbs.declared(path)
    path.write_text("class Command:\n    engine_verbs: tuple[str, ...] = ['a']\n", "utf-8")
    with pytest.raises(engine_verbs.DeclarationError, match="tuple of strings"):
        engine_verbs.declared(path)


def test_option_entries_need_the_option() -> None:
    verbs = ("run", "table --file", "*x")
    assert engine_verbs.matches(verbs, ["run", "--answers", "a.json"])
    assert engine_verbs.matches(verbs, ["table", "--by", "g", "--file", "f"])
    assert not engine_verbs.matches(verbs, ["table", "--by", "g", "--files", "f"])
    assert not engine_verbs.matches(verbs, ["--file", "f", "table"])
    assert engine_verbs.matches(("*",), ["anything"])


# --- the mode a demo data folder was made in ---------------------------------------------------


@pytest.fixture
def demo_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    for name in ("SAFEPATH_MODE", *env._PRODUCTION_SECRETS):
        monkeypatch.delenv(name, raising=False)
    (tmp_path / "secrets").mkdir()
    (tmp_path / "secrets" / "keyring.json").write_text("{}", "utf-8")
    env.record_mode(tmp_path, "demo")
    return tmp_path


def test_a_demo_folder_is_read_as_demo(demo_folder: Path) -> None:
    assert (demo_folder / "mode").read_text("utf-8") == "demo\n"
    assert env.recorded_mode(demo_folder) == "demo"
    env.record_mode(demo_folder, "development")  # made in demo; stays demo
    assert env.recorded_mode(demo_folder) == "demo"


@pytest.mark.parametrize("secret", env._PRODUCTION_SECRETS)
def test_a_production_secret_always_wins_over_the_record(
    demo_folder: Path, monkeypatch: pytest.MonkeyPatch, secret: str
) -> None:
    monkeypatch.setenv(secret, "/etc/safepath/value")
    assert env.recorded_mode(demo_folder) is None


def test_a_record_without_its_keys_or_naming_production_is_ignored(demo_folder: Path) -> None:
    (demo_folder / "mode").write_text("production\n", "utf-8")
    assert env.recorded_mode(demo_folder) is None
    (demo_folder / "mode").write_text("demo\n", "utf-8")
    (demo_folder / "secrets" / "keyring.json").unlink()
    assert env.recorded_mode(demo_folder) is None
    env.record_mode(demo_folder / "other", "production")
    env.record_mode(demo_folder / "other", "test")
    assert not (demo_folder / "other").exists()


# --- standalone, in a subprocess with nothing set ----------------------------------------------


def _clean_env(home: Path, **extra: str) -> dict[str, str]:
    return {"PATH": f"{Path(sys.executable).parent}:/usr/bin:/bin", "HOME": str(home), **extra}


def _run(args: list[str], cwd: Path, **extra: str) -> subprocess.CompletedProcess[str]:
    home = cwd.with_name(cwd.name + "-home")  # caches (matplotlib's fonts) go there
    home.mkdir(exist_ok=True)
    return subprocess.run(  # noqa: S603 - our own console script
        [SAFEPATH, *args],
        cwd=cwd,
        env=_clean_env(home, **extra),
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )


ENGINE_RUNS: list[tuple[str, list[str]]] = [
    ("samples", ["samples", "try", "--format", "json"]),
    ("screen list", ["screen", "list", "--format", "json"]),
    ("screen describe", ["screen", "describe", "sscst-6", "--format", "json"]),
    (
        "screen run",
        ["screen", "run", "sscst-6", "--answers", "try/answers.json", "--format", "json"],
    ),
    (
        "link dedupe",
        ["link", "dedupe", "--input", "try/children.csv", "--output", "try/pairs.csv",
         "--save-model", "try/model.json", "--no-progress", "--format", "json"],
    ),
    (
        "link between",
        ["link", "between", "--left", "try/agency_a.csv", "--right", "try/agency_b.csv",
         "--output", "try/between.csv", "--no-progress", "--format", "json"],
    ),
    *[
        (
            f"pprl encode {side}",
            ["pprl", "encode", "--schema", "default", "--secret-file", "try/secret.txt",
             "--input", f"try/agency_{side}.csv", "--output", f"try/{side}.json",
             "--format", "json"],
        )
        for side in ("a", "b")
    ],
    (
        "pprl match",
        ["pprl", "match", "--left", "try/a.json", "--right", "try/b.json",
         "--output", "try/matches.csv", "--format", "json"],
    ),
    ("finance rules", ["finance", "rules", "--format", "json"]),
    (
        "finance synth",
        ["finance", "synth", "--customers", "200", "--days", "30", "--out", "try/bank",
         "--format", "json"],
    ),
    (
        "finance screen",
        ["finance", "screen", "--transactions", "try/bank/transactions.parquet",
         "--customers", "try/bank/customers.parquet", "--out", "try/alerts.json",
         "--format", "json"],
    ),
    (
        "evidence table",
        ["evidence", "table", "--file", "try/ctdc.csv", "--by", "gender,majorityStatus",
         "--format", "json"],
    ),
    ("keys init", ["keys", "init", "try/keyring/keyring.json"]),
    (
        "online hash",
        ["online", "hash", "try/images/picture-1.png", "try/images/picture-2.png",
         "--format", "json"],
    ),
    (
        "online match",
        ["online", "match", "try/images/picture-1.png", "try/images/picture-3.png",
         "--bank", "try/bank.txt", "--format", "json"],
    ),
    ("online graph", ["online", "graph", "try/adverts.csv", "--format", "json"]),
    ("online indicators", ["online", "indicators", "--format", "json"]),
    ("emergency xlsform", ["emergency", "xlsform", "--out", "try/uasc.xlsx"]),
    ("emergency deadlines", ["emergency", "deadlines", "--format", "json"]),
]  # fmt: skip


@pytest.fixture(scope="module")
def standalone(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """Every engine verb, in order, in one empty folder with nothing set."""
    folder = tmp_path_factory.mktemp("analyst")
    runs = {}
    for name, args in ENGINE_RUNS:
        runs[name] = _run(args, folder)
        if runs[name].returncode != 0:
            break
    alerts = json.loads((folder / "try" / "alerts.json").read_text("utf-8"))
    if alerts:
        runs["finance report"] = _run(
            ["finance", "report", "--alerts", "try/alerts.json", "--alert-id",
             alerts[0]["alert_id"], "--transactions", "try/bank/transactions.parquet",
             "--customers", "try/bank/customers.parquet", "--out", "try/report.xml",
             "--format", "json"],
            folder,
        )  # fmt: skip
    return {"folder": folder, "runs": runs, "alerts": alerts}


@pytest.mark.slow
def test_every_engine_verb_runs_with_nothing_configured(standalone: dict[str, Any]) -> None:
    runs = standalone["runs"]
    failed = {n: r.stderr[-800:] for n, r in runs.items() if r.returncode != 0}
    assert failed == {}
    assert set(runs) == {name for name, _args in ENGINE_RUNS} | {"finance report"}
    folder: Path = standalone["folder"]
    assert sorted(p.name for p in folder.iterdir()) == ["try"]  # nothing else written here
    assert json.loads(runs["screen run"].stdout)[0]["outcome"] == "possible_victim"
    assert json.loads(runs["link dedupe"].stdout)["pairs"] > 100
    assert json.loads(runs["pprl match"].stdout)["pairs"] > 30
    assert json.loads(runs["finance report"].stdout)["valid"] is True
    cells = json.loads(runs["evidence table"].stdout)["cells"]
    assert any(c["count"] for c in cells)
    assert standalone["alerts"]
    hashed = json.loads(runs["online hash"].stdout)
    assert [len(h["pdq"]) for h in hashed] == [64, 64]
    assert "online match" in runs
    assert (folder / "try" / "uasc.xlsx").stat().st_size > 1000


@pytest.mark.slow
def test_a_database_verb_says_what_it_needs(tmp_path: Path) -> None:
    done = _run(["audit", "verify"], tmp_path, SAFEPATH_DATA_DIR=str(tmp_path / "data"))
    assert done.returncode == 2
    assert "safepath audit verify works on SafePath's database" in done.stderr
    for named in ("SAFEPATH_SECRET_KEY", "SAFEPATH_KEYRING_FILE", "SAFEPATH_MODE=demo"):
        assert named in done.stderr
    assert "Traceback" not in done.stderr


@pytest.mark.slow
def test_a_folder_made_in_demo_mode_needs_nothing_set_afterwards(tmp_path: Path) -> None:
    data = str(tmp_path / "data")
    made = _run(["check"], tmp_path, SAFEPATH_MODE="demo", SAFEPATH_DATA_DIR=data)
    assert made.returncode == 0, made.stderr
    again = _run(["check"], tmp_path, SAFEPATH_DATA_DIR=data)
    assert again.returncode == 0, again.stderr
    refused = _run(["check"], tmp_path, SAFEPATH_DATA_DIR=data, SAFEPATH_SECRET_KEY="x" * 50)
    assert refused.returncode == 2  # a production secret: production, which needs a keyring
    assert "SAFEPATH_KEYRING_FILE" in refused.stderr


def test_the_engine_settings_have_no_database_and_no_keyring() -> None:
    done = subprocess.run(
        [
            sys.executable,
            "-c",
            "import django; django.setup(); from django.conf import settings as s; "
            "from django.db import connection; "
            "print(s.MODE, s.KEYRING_FILE, s.KEYRING_JSON, s.DATABASES['default']['ENGINE']);"
            "connection.cursor()",
        ],
        env={**_clean_env(Path(os.getcwd())), "DJANGO_SETTINGS_MODULE": ENGINE_SETTINGS},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.stdout.split() == ["engine", "None", "None", "safepath.config.no_database"]
    assert "declared to run without a database" in done.stderr
