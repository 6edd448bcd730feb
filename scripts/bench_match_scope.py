#!/usr/bin/env python3
"""The cost of a commit's matching scope, three ways, on a stored history (opened read-only): one ring
(before ed87cdc), two rings (ed87cdc) and two rings looked up only for joined sessions (as
`store::match_scope` builds it now). The statements are copies made for this comparison, kept as
they were measured in docs/benchmarks.md; the product's own is in match_scope.rs.
Needs the `duckdb` Python package of the version the store was written by (2.0.0).
Usage: bench_match_scope.py DATABASE"""
import sys, time, statistics, duckdb
db = sys.argv[1]
c = duckdb.connect(db, read_only=True)
c.execute("SET threads=2")
# The first ring's lookups, the same in the one- and two-ring versions.
TOUCHED_IDS = """touched AS (SELECT DISTINCT Tool, SessionId FROM {rows}),
    shared_ids AS (
        SELECT DISTINCT u.Tool, u.RequestId FROM usage_records u
        JOIN touched t ON u.Tool IS NOT DISTINCT FROM t.Tool AND u.SessionId IS NOT DISTINCT FROM t.SessionId
        WHERE u.RequestId IS NOT NULL
        UNION SELECT DISTINCT Tool, RequestId FROM {rows} WHERE RequestId IS NOT NULL
    ),"""
ONE_RING = TOUCHED_IDS + """
    scoped_sessions AS (
        SELECT Tool, SessionId FROM touched
        UNION
        SELECT DISTINCT u.Tool, u.SessionId FROM usage_records u JOIN shared_ids i ON u.Tool IS NOT DISTINCT FROM i.Tool AND u.RequestId = i.RequestId
    )"""
TWO_RINGS = TOUCHED_IDS + """
    own_sessions AS (
        SELECT Tool, SessionId FROM touched
        UNION
        SELECT DISTINCT u.Tool, u.SessionId FROM usage_records u JOIN shared_ids i ON u.Tool IS NOT DISTINCT FROM i.Tool AND u.RequestId = i.RequestId
    ),
    own_ids AS (
        SELECT DISTINCT u.Tool, u.RequestId FROM usage_records u
        JOIN own_sessions o ON u.Tool IS NOT DISTINCT FROM o.Tool AND u.SessionId IS NOT DISTINCT FROM o.SessionId
        WHERE u.RequestId IS NOT NULL
    ),
    scoped_sessions AS (
        SELECT Tool, SessionId, bool_or(Own) AS Own FROM (
            SELECT Tool, SessionId, true AS Own FROM own_sessions
            UNION ALL
            SELECT DISTINCT u.Tool, u.SessionId, false FROM usage_records u
            JOIN own_ids i ON u.Tool IS NOT DISTINCT FROM i.Tool AND u.RequestId = i.RequestId
        ) GROUP BY Tool, SessionId
    )"""
SHORT = """touched AS (SELECT DISTINCT 0 AS Pass, Tool, SessionId FROM {rows}),
    shared_ids AS (
        SELECT DISTINCT t.Pass, u.Tool, u.RequestId FROM usage_records u
        JOIN touched t ON u.Tool IS NOT DISTINCT FROM t.Tool AND u.SessionId IS NOT DISTINCT FROM t.SessionId
        WHERE u.RequestId IS NOT NULL
        UNION SELECT DISTINCT 0 AS Pass, Tool, RequestId FROM {rows} WHERE RequestId IS NOT NULL
    ),
    own_sessions AS (
        SELECT Pass, Tool, SessionId FROM touched
        UNION
        SELECT DISTINCT i.Pass, u.Tool, u.SessionId FROM usage_records u
        JOIN shared_ids i ON u.Tool IS NOT DISTINCT FROM i.Tool AND u.RequestId = i.RequestId
    ),
    joined_sessions AS (
        SELECT Pass, Tool, SessionId FROM own_sessions EXCEPT SELECT Pass, Tool, SessionId FROM touched
    ),
    further_ids AS (
        SELECT DISTINCT j.Pass, u.Tool, u.RequestId FROM usage_records u
        JOIN joined_sessions j ON u.Tool IS NOT DISTINCT FROM j.Tool AND u.SessionId IS NOT DISTINCT FROM j.SessionId
        WHERE u.RequestId IS NOT NULL
        EXCEPT SELECT Pass, Tool, RequestId FROM shared_ids
    ),
    scoped_sessions AS (
        SELECT Pass, Tool, SessionId, bool_or(Own) AS Own FROM (
            SELECT Pass, Tool, SessionId, true AS Own FROM own_sessions
            UNION ALL
            SELECT DISTINCT i.Pass, u.Tool, u.SessionId, false FROM usage_records u
            JOIN further_ids i ON u.Tool IS NOT DISTINCT FROM i.Tool AND u.RequestId = i.RequestId
        ) GROUP BY Pass, Tool, SessionId
    )"""
print("rows", c.execute("SELECT count(*) FROM usage_records").fetchone()[0])
# A telemetry commit: one new request in a stored Claude Code session; a file commit: one
# whole stored Codex session read again.
c.execute("""CREATE TEMP TABLE stage_one AS SELECT Tool, SessionId, 'new-request' AS RequestId
             FROM usage_records WHERE Tool = 'claude-code' AND SessionId IS NOT NULL ORDER BY SessionId LIMIT 1""")
c.execute("""CREATE TEMP TABLE stage_session AS SELECT Tool, SessionId, RequestId FROM usage_records
             WHERE (Tool, SessionId) = (SELECT (Tool, SessionId) FROM usage_records WHERE Tool = 'codex' ORDER BY SessionId LIMIT 1)""")
for stage in ["temp.stage_one", "temp.stage_session"]:
    for name, scope in [("one ring", ONE_RING), ("two rings", TWO_RINGS), ("short-circuited", SHORT)]:
        sql = f"WITH {scope.format(rows=stage)} SELECT count(*) FROM scoped_sessions"
        n = c.execute(sql).fetchone()[0]
        times = []
        for _ in range(15):
            t = time.perf_counter(); c.execute(sql).fetchall(); times.append((time.perf_counter() - t) * 1000)
        print(f"{stage:20} {name:16} sessions={n} median={statistics.median(times):.1f} ms min={min(times):.1f}")
