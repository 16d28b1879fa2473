"""The one Spark session of a test run (local mode, loopback only, small and quiet).

Tests that need it are marked ``spark``; they are skipped, saying why, where pyspark or Java is
missing (``make test`` installs pyspark with the dev extra; CI has Java 17), and in the
PostgreSQL pass of ``make test`` (they use no database, so the SQLite pass is enough).
Starting Spark costs seconds, so the session is shared by every test of the run and stopped at
the end.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from typing import Any

import pytest

from safepath.core import spark as spark_support


@pytest.fixture(scope="session")
def spark() -> Iterator[Any]:
    reason = spark_support.unavailable_reason()
    if reason:
        pytest.skip(f"Spark tests need Spark: {reason}")
    if os.environ.get("SAFEPATH_TEST_DATABASE_URL"):
        # No Spark test touches SafePath's database: the SQLite pass of `make test` runs them,
        # and the PostgreSQL pass does not pay for them twice.
        pytest.skip("Spark tests run in the SQLite pass (they use no database)")
    # One partition and one core: the test data is small, and every extra task is overhead.
    session = spark_support.local_session(partitions="1", memory="1g", cores=1)
    session.sparkContext.setLogLevel("ERROR")
    yield session
    session.stop()
