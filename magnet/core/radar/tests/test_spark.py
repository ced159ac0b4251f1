"""The same compiled book runs on Spark (local mode) and gives the same rows as DuckDB.

A province that outgrows one machine runs the query on a cluster; here PySpark runs it in local mode
on the machine's Java over the same stored Parquet files.
"""

from __future__ import annotations

import logging
import os

import pytest

from magnet.core.radar import build, connect, render, screen
from magnet.core.radar.language import Month

MONTHS = ["2023-02", "2025-06"]


@pytest.fixture(scope="module")
def spark(snapshot):
    os.environ.setdefault("PYSPARK_PYTHON", "python")
    logging.getLogger("py4j").setLevel(logging.ERROR)  # its shutdown messages arrive after pytest closed stderr
    from pyspark.sql import SparkSession

    session = (
        SparkSession.builder.master("local[2]")
        .appName("magnet-radar-test")
        .config("spark.ui.enabled", "false")
        .config("spark.sql.session.timeZone", "UTC")
        .config("spark.sql.shuffle.partitions", "2")
        .config("spark.driver.memory", "1g")
        .getOrCreate()
    )
    session.sparkContext.setLogLevel("ERROR")
    for feed, path in snapshot.feeds.items():
        session.read.parquet(str(path)).createOrReplaceTempView(feed)
    yield session
    session.stop()


@pytest.mark.parametrize("month", MONTHS)
def test_spark_and_duckdb_give_the_same_entitlements(spark, snapshot, demo_book, month):
    query, _ = build(demo_book, Month.parse(month))
    on_spark = {
        (r["id_number"], r["policy"], r["period"], f"{r['amount']:.2f}")
        for r in spark.sql(render(query, "spark")).collect()
    }
    with connect(snapshot) as con:
        on_duckdb = {
            (r["id_number"], r["policy"], r["period"], f"{r['amount']:.2f}")
            for r in screen(con, demo_book, month).to_pylist()
        }
    assert len(on_duckdb) > 100
    assert on_spark == on_duckdb
    assert {p for _, p, _, _ in on_spark} >= {"living_subsidy", "rent_subsidy"}
