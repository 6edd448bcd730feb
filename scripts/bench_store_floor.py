#!/usr/bin/env python3
"""The least DuckDB alone needs to store what a first import stores: the log records, metric points
and usage records of a stored history, read into memory first, then inserted into a new database
file with the same table definitions and checkpointed, table by table. No parsing, no matching, no
Arrow: a floor for the whole import's writing, to set beside `ccusage`'s time (docs/benchmarks.md).
Needs the `duckdb` Python package of the version the store was written by (2.0.0).
Usage: bench_store_floor.py DATABASE THREADS [NEW_DATABASE]"""
import os
import sys
import time

import duckdb

TABLES = ("otel_logs", "otel_metrics", "usage_records")

source, threads = sys.argv[1], int(sys.argv[2])
target = sys.argv[3] if len(sys.argv) > 3 else "store-floor.duckdb"
for path in (target, target + ".wal"):
    if os.path.exists(path):
        os.remove(path)
c = duckdb.connect(target)
c.execute(f"SET threads = {threads}; SET memory_limit = '8GB'")
c.execute(f"ATTACH '{source}' AS source (READ_ONLY)")
definitions = c.execute(
    "SELECT table_name, sql FROM duckdb_tables() WHERE database_name = 'source' AND table_name IN ?", [list(TABLES)]
).fetchall()
for _, definition in definitions:
    c.execute(definition)  # `CREATE TABLE name(…)`: made in the new file, compression settings included
c.execute("CHECKPOINT")
for table in TABLES:
    c.execute(f"CREATE TEMP TABLE memory_{table} AS SELECT * FROM source.{table}")
c.execute("DETACH source")
for table in TABLES:
    started = time.perf_counter()
    c.execute(f"INSERT INTO {table} SELECT * FROM memory_{table}")
    inserted = time.perf_counter()
    c.execute("CHECKPOINT")
    done = time.perf_counter()
    rows = c.execute(f"SELECT count(*) FROM {table}").fetchall()[0][0]
    print(f"threads={threads} {table}: {rows} rows, insert {inserted - started:.2f} s, checkpoint {done - inserted:.2f} s")
c.close()
print(f"file {os.path.getsize(target) / 2**20:.1f} MiB")
