-- A log record's attributes are most of what a store holds, beside the bodies (a first import's
-- transcripts: 160 MB of attribute JSON for Claude Code's 412 MB of session files), and they are
-- written far more often than read whole. DuckDB chose DICT_FSST for them, whose analysis and
-- compression were a large part of a first import's writing; ZSTD writes them faster and in less
-- than half the space, while searches over them take the same time (docs/benchmarks.md). The
-- bodies stay as DuckDB chooses: under ZSTD a search of the logs took 2.5 to 6.6 times as long.
-- The table is rebuilt because a column's compression cannot be altered.
CREATE TABLE otel_logs_rebuilt (
    Timestamp TIMESTAMP NOT NULL,
    TraceId VARCHAR,
    SpanId VARCHAR,
    TraceFlags UINTEGER,
    SeverityText VARCHAR,
    SeverityNumber INTEGER,
    ServiceName VARCHAR NOT NULL,
    Body VARCHAR,
    ResourceSchemaUrl VARCHAR,
    ResourceAttributes JSON,
    ScopeSchemaUrl VARCHAR,
    ScopeName VARCHAR,
    ScopeVersion VARCHAR,
    ScopeAttributes JSON,
    LogAttributes JSON USING COMPRESSION zstd,
    RecordKey VARCHAR,
    SessionId VARCHAR,
    EventName VARCHAR
);
INSERT INTO otel_logs_rebuilt SELECT * FROM otel_logs;
DROP TABLE otel_logs;
ALTER TABLE otel_logs_rebuilt RENAME TO otel_logs;
