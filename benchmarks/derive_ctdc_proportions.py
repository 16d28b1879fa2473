"""Recount the CTDC proportions shipped in safepath/demo/ctdc_proportions.json.

Usage: python benchmarks/derive_ctdc_proportions.py [PATH_TO_CTDC_VPsynthetic_condensed.csv]
Prints the counts for minors; compare them with the fixture by eye or with `diff`.
"""

import csv
import json
import sys
from collections import Counter
from pathlib import Path

DEFAULT = Path(__file__).resolve().parents[2] / "shared/data/ctdc/CTDC_VPsynthetic_condensed.csv"


def main() -> None:
    path = Path(sys.argv[1]) if len(sys.argv) > 1 else DEFAULT
    with path.open(encoding="utf-8") as handle:
        minors = [row for row in csv.DictReader(handle) if row["majorityStatus"] == "Minor"]
    exploitation = Counter(
        {("1", ""): "forced_labour_only", ("", "1"): "sexual_only", ("1", "1"): "both"}.get(
            (row["isForcedLabour"], row["isSexualExploit"]), "not_recorded"
        )
        for row in minors
    )
    print(
        json.dumps(
            {
                "minor_records": len(minors),
                "gender": dict(Counter((row["gender"] or "unknown").lower() for row in minors)),
                "exploitation": dict(exploitation),
                "region_of_origin": dict(
                    Counter(row["UN_COO_Region"] or "unknown" for row in minors)
                ),
                "region_of_exploitation": dict(
                    Counter(row["UN_COE_Region"] or "unknown" for row in minors)
                ),
            },
            indent=2,
            sort_keys=True,
        )
    )


if __name__ == "__main__":
    main()
