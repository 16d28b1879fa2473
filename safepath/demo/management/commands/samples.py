"""``safepath samples DIR``: synthetic files to try every engine on, with nothing configured.

Writes into DIR (made if missing; existing sample files are replaced):

* ``children.csv``: 60 synthetic children, each registered three times, in Arabic, Cyrillic
  and Latin script (``safepath link dedupe``);
* ``agency_a.csv`` / ``agency_b.csv``: the Latin-script and the Arabic-script registers of the
  same children, as two parties would hold them (``safepath link between``, ``safepath pprl``);
* ``secret.txt``: a random secret for a PPRL trial (real parties agree on one out of band);
* ``answers.json``: two answer sets for the ``sscst-6`` screening instrument;
* ``ctdc.csv``: 2,000 synthetic rows in CTDC's victim-perpetrator layout (``safepath evidence
  table --file``);
* ``images/``: three harmless generated pictures (shapes, noise, text) and ``bank.txt``, a hash
  list in the HMA signal format holding the first one's PDQ and MD5 (``safepath online hash``,
  ``safepath online match --bank``);
* ``adverts.csv``: invented adverts that share phone numbers across cities (``safepath online
  graph``, ``safepath online flags``).

Financial transactions come from ``safepath finance synth``. Every name, date and figure is
generated: no real person is in any of these files.
"""

from __future__ import annotations

import json
import secrets
from argparse import ArgumentParser
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from safepath.core.cli import add_format_argument, emit
from safepath.evidence.demo import write_ctdc_demo_file
from safepath.linkage.engine import crossscript
from safepath.online.engine import hashing, synth

CHILDREN = 60
CTDC_ROWS = 2000
IMAGE_SEEDS = (101, 102, 103)
ADVERTS = (
    ("ad-1", "Mombasa", "New in town, sweet and young, call 0700 555 010"),
    ("ad-2", "Nairobi", "Just arrived, ask for Rose, 0700 555 010, outcalls only"),
    ("ad-3", "Kisumu", "Fresh girls available tonight 0700-555-010"),
    ("ad-4", "Nairobi", "Sofa for sale, good condition, call 0722 000 321"),
)
ANSWERS = [
    {
        "age": 15,
        "answers": {
            "substance_use": "yes",
            "ran_away": "yes",
            "police_contact": "no",
            "sti": "unknown",
            "many_partners": "no",
            "serious_injury": "no",
        },
        "context": {"setting": "health"},
    },
    {"age": None, "answers": {"ran_away": "no", "police_contact": "no"}},
]


class Command(BaseCommand):
    help = (
        "Write synthetic sample files to try the engines on (link, pprl, screen, evidence, online)."
    )
    engine_verbs = ("*",)  # writes files only (core/engine_verbs.py)

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("directory", type=Path, help="where to write the files")
        add_format_argument(parser)

    def handle(self, *args: Any, **options: Any) -> None:
        folder: Path = options["directory"]
        try:
            folder.mkdir(parents=True, exist_ok=True)
            written = _write_samples(folder)
        except OSError as error:
            raise CommandError(
                f"{folder}: cannot write the samples ({error})", returncode=2
            ) from error
        emit(
            self,
            options,
            {name: str(path) for name, path in written.items()},
            "\n".join(f"{path}" for path in written.values()),
        )


def _write_samples(folder: Path) -> dict[str, Path]:
    records = crossscript.generate(CHILDREN, seed=11).drop(columns=["child"])
    paths = {
        "children": folder / "children.csv",
        "agency_a": folder / "agency_a.csv",
        "agency_b": folder / "agency_b.csv",
        "secret": folder / "secret.txt",
        "answers": folder / "answers.json",
        "ctdc": folder / "ctdc.csv",
    }
    records.to_csv(paths["children"], index=False)
    records[records["source"] == "agency-latin"].to_csv(paths["agency_a"], index=False)
    records[records["source"] == "agency-arabic"].to_csv(paths["agency_b"], index=False)
    paths["secret"].write_text(secrets.token_hex(32) + "\n", encoding="utf-8")
    paths["secret"].chmod(0o600)
    paths["answers"].write_text(json.dumps(ANSWERS, indent=1), encoding="utf-8")
    write_ctdc_demo_file(paths["ctdc"], rows=CTDC_ROWS)
    paths.update(_write_online_samples(folder))
    return paths


def _write_online_samples(folder: Path) -> dict[str, Path]:
    """Generated pictures (never real content), a hash list of the first, and adverts."""
    images = folder / "images"
    images.mkdir(exist_ok=True)
    paths: dict[str, Path] = {}
    for number, seed in enumerate(IMAGE_SEEDS, start=1):
        paths[f"image_{number}"] = images / f"picture-{number}.png"
        paths[f"image_{number}"].write_bytes(synth.image_bytes(seed))
    known = hashing.hash_bytes(paths["image_1"].read_bytes())
    paths["bank"] = folder / "bank.txt"
    paths["bank"].write_text(
        "# A sample hash list: the first generated picture's hashes\n"
        f"pdq {known.pdq}\nmd5 {known.md5}\n",
        encoding="utf-8",
    )
    paths["adverts"] = folder / "adverts.csv"
    lines = ["id,city,text", *(f'{a},{c},"{t}"' for a, c, t in ADVERTS)]
    paths["adverts"].write_text("\n".join(lines) + "\n", encoding="utf-8")
    return paths
