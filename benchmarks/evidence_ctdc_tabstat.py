"""Validate the CTDC import against CTDC's own published frequencies (the TabStat sheet).

Imports ``CTDC_VPsynthetic_condensed.csv`` into a fresh analysis store with the same code as
``safepath evidence import-ctdc`` and checks that the count of every value of every variable
in the ``TabStat`` sheet of ``CTDC_VPsynthetic_dict_20221201.xlsx`` is reproduced exactly,
including the missing count and the total. Exit code 0 when every figure matches, 1 otherwise.

    .venv/bin/python benchmarks/evidence_ctdc_tabstat.py [--data-dir /work/shared/data/ctdc]

The unit test ``safepath/evidence/tests/test_ctdc.py`` runs the same comparison on a slice of
the file shipped as a fixture, so it needs no ``shared/``.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

from safepath.evidence.engine.ctdc import compare_frequencies, import_ctdc, parse_tabstat
from safepath.evidence.engine.store import AnalysisStore

CSV_NAME = "CTDC_VPsynthetic_condensed.csv"
DICT_NAME = "CTDC_VPsynthetic_dict_20221201.xlsx"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data-dir", default="/work/shared/data/ctdc", type=Path)
    args = parser.parse_args(argv)
    expected = parse_tabstat(args.data_dir / DICT_NAME)
    with tempfile.TemporaryDirectory() as tmp:
        store = AnalysisStore(Path(tmp) / "store.duckdb")
        info = import_ctdc(store, args.data_dir / CSV_NAME, "ctdc_vp")
        problems = compare_frequencies(expected, store, "ctdc_vp")
        fields = [d.name for d in info.dimensions]
    checked = sum(len([v for v in c if v != "__total__"]) for c in expected.values())
    print(f"rows imported: {info.rows}; schema: {info.schema}")
    print(f"TabStat variables: {len(expected)} of {len(fields)} fields; figures checked: {checked}")
    not_in_tabstat = [f for f in fields if f not in expected]
    if not_in_tabstat:
        print(f"fields without a TabStat table: {', '.join(not_in_tabstat)}")
    for problem in problems:
        print(f"MISMATCH {problem}")
    print("OK: every TabStat frequency reproduced exactly" if not problems else "FAILED")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
    sys.exit(main())
