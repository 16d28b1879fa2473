"""Every rule stays in SQL that sqlglot turns into Spark SQL (issue 7, 'beyond one machine')."""

from __future__ import annotations

import pytest
import sqlglot

from safepath.finance.engine import load_rules, render

RULES = load_rules()


@pytest.mark.parametrize("rule", RULES, ids=[r.id for r in RULES])
def test_rule_transpiles_to_spark(rule) -> None:  # type: ignore[no-untyped-def]
    [spark] = sqlglot.transpile(
        render(rule), read="duckdb", write="spark", unsupported_level=sqlglot.ErrorLevel.RAISE
    )
    assert "txn" in spark
    assert "{{" not in spark
    sqlglot.parse_one(spark, read="spark")


def test_rule_metadata_cites_a_source_and_declares_parameters() -> None:
    for rule in RULES:
        assert rule.source
        assert rule.weight > 0
        assert rule.id.split("-")[0] in ("HT", "CSE", "SX", "GEN")
