"""One Spark session for the engines that run on Spark (linkage, finance rules, evidence).

``pip install 'safepath[spark]'`` brings ``pyspark`` (Spark itself, run by a Java 17 JVM). On a
laptop or one server, ``session()`` starts Spark in local mode; under ``spark-submit``, on
Databricks or EMR, it returns the session the cluster already made. Settings come from Spark's
own configuration (``spark-defaults.conf``, ``--conf`` on ``spark-submit``, ``SPARK_*``
variables); SafePath adds only what its engines need: Splink's similarity functions (a jar
shipped inside the ``splink`` package), and ``SAFEPATH_SPARK_MASTER`` for a quick local run.
See docs/spark.md.
"""

from __future__ import annotations

import os
import shutil
from typing import Any

SHUFFLE_PARTITIONS_LOCAL = "4"


class SparkUnavailableError(RuntimeError):
    """pyspark or Java is missing; the message says what to install."""


def unavailable_reason() -> str | None:
    """Why Spark cannot run here, or None when it can (pyspark importable, Java on PATH)."""
    try:
        import pyspark  # noqa: F401
    except ImportError:
        return "pyspark is not installed: pip install 'safepath[spark]'"
    if not (os.environ.get("JAVA_HOME") or shutil.which("java")):
        return "no Java runtime: install Java 17 (Debian: openjdk-17-jre-headless)"
    return None


def _splink_jar() -> str:
    from splink.backends.spark import similarity_jar_location

    return str(similarity_jar_location())


def session(**config: str) -> Any:
    """The active SparkSession, or a new one with Splink's jar (``config`` adds settings)."""
    reason = unavailable_reason()
    if reason:
        raise SparkUnavailableError(reason)
    from pyspark.sql import SparkSession

    active = SparkSession.getActiveSession()
    if active is not None:
        return active
    builder = SparkSession.builder.appName("safepath")
    master = os.environ.get("SAFEPATH_SPARK_MASTER")
    if master:
        builder = builder.master(master)
    jars = [j for j in os.environ.get("SAFEPATH_SPARK_JARS", "").split(",") if j]
    builder = builder.config("spark.jars", ",".join([_splink_jar(), *jars]))
    for key, value in config.items():
        builder = builder.config(key, value)
    return builder.getOrCreate()


def local_session(
    *, partitions: str = SHUFFLE_PARTITIONS_LOCAL, memory: str = "2g", cores: int = 2
) -> Any:
    """A local-mode session for tests and one-machine runs: few shuffle partitions."""
    return session(
        **{
            "spark.master": os.environ.get("SAFEPATH_SPARK_MASTER", f"local[{cores}]"),
            "spark.sql.shuffle.partitions": partitions,
            "spark.default.parallelism": partitions,
            "spark.driver.memory": memory,
            "spark.ui.enabled": "false",
            # the driver listens on loopback only: nothing leaves this machine
            "spark.driver.host": "127.0.0.1",
            "spark.driver.bindAddress": "127.0.0.1",
            "spark.ui.showConsoleProgress": "false",
            "spark.sql.session.timeZone": "UTC",
        }
    )


def checkpoint_dir(spark: Any) -> str | None:
    """The session's checkpoint directory, if one is set (shared storage on a cluster)."""
    directory = spark.sparkContext._jsc.sc().getCheckpointDir()
    return str(directory.get()) if not directory.isEmpty() else None
