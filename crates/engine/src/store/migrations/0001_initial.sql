-- Telemetry tables keep the original AI Observer's names and columns (the ClickHouse-exporter style),
-- so its queries and its users' SQL keep working. Extra columns are at the end.

CREATE TABLE IF NOT EXISTS otel_traces (
    Timestamp TIMESTAMP NOT NULL,
    TraceId VARCHAR NOT NULL,
    SpanId VARCHAR NOT NULL,
    ParentSpanId VARCHAR,
    TraceState VARCHAR,
    SpanName VARCHAR NOT NULL,
    SpanKind VARCHAR,
    ServiceName VARCHAR NOT NULL,
    ResourceAttributes JSON,
    ScopeName VARCHAR,
    ScopeVersion VARCHAR,
    SpanAttributes JSON,
    Duration BIGINT,
    StatusCode VARCHAR,
    StatusMessage VARCHAR,
    "Events.Timestamp" JSON,
    "Events.Name" JSON,
    "Events.Attributes" JSON,
    "Links.TraceId" JSON,
    "Links.SpanId" JSON,
    "Links.TraceState" JSON,
    "Links.Attributes" JSON
);

CREATE TABLE IF NOT EXISTS otel_logs (
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
    LogAttributes JSON,
    RecordKey VARCHAR
);

CREATE TABLE IF NOT EXISTS otel_metrics (
    Timestamp TIMESTAMP NOT NULL,
    ServiceName VARCHAR NOT NULL,
    MetricName VARCHAR NOT NULL,
    MetricDescription VARCHAR,
    MetricUnit VARCHAR,
    ResourceAttributes JSON,
    ScopeName VARCHAR,
    ScopeVersion VARCHAR,
    Attributes JSON,
    MetricType VARCHAR NOT NULL,
    Value DOUBLE,
    AggregationTemporality INTEGER,
    IsMonotonic BOOLEAN,
    Count UBIGINT,
    Sum DOUBLE,
    BucketCounts JSON,
    ExplicitBounds JSON,
    Scale INTEGER,
    ZeroCount UBIGINT,
    PositiveOffset INTEGER,
    PositiveBucketCounts JSON,
    NegativeOffset INTEGER,
    NegativeBucketCounts JSON,
    QuantileValues JSON,
    QuantileQuantiles JSON,
    Min DOUBLE,
    Max DOUBLE,
    StartTimestamp TIMESTAMP,
    RecordKey VARCHAR
);

-- One row per model API request: what every spend answer adds up (see docs/pricing.md).
CREATE TABLE IF NOT EXISTS usage_records (
    RecordKey VARCHAR PRIMARY KEY,
    Timestamp TIMESTAMP NOT NULL,
    Tool VARCHAR,
    Source VARCHAR NOT NULL,
    ServiceName VARCHAR NOT NULL,
    SessionId VARCHAR,
    RequestId VARCHAR,
    MessageId VARCHAR,
    Model VARCHAR NOT NULL,
    Project VARCHAR,
    Repository VARCHAR,
    InputTokens BIGINT NOT NULL,
    CacheReadTokens BIGINT NOT NULL,
    CacheWrite5mTokens BIGINT NOT NULL,
    CacheWrite1hTokens BIGINT NOT NULL,
    OutputTokens BIGINT NOT NULL,
    ReasoningTokens BIGINT NOT NULL,
    ToolTokens BIGINT NOT NULL,
    ReportedCostUsd DOUBLE,
    ComputedCostUsd DOUBLE,
    PriceVersion VARCHAR,
    Speed VARCHAR,
    QuerySource VARCHAR,
    AgentId VARCHAR,
    DurationMs BIGINT,
    SourceFile VARCHAR
);

CREATE TABLE IF NOT EXISTS dashboards (
    id VARCHAR PRIMARY KEY,
    name VARCHAR NOT NULL,
    description VARCHAR,
    is_default BOOLEAN DEFAULT FALSE,
    created_at TIMESTAMP DEFAULT CURRENT_TIMESTAMP,
    updated_at TIMESTAMP DEFAULT CURRENT_TIMESTAMP
);

CREATE TABLE IF NOT EXISTS dashboard_widgets (
    id VARCHAR PRIMARY KEY,
    dashboard_id VARCHAR NOT NULL,
    widget_type VARCHAR NOT NULL,
    title VARCHAR NOT NULL,
    grid_column INTEGER NOT NULL,
    grid_row INTEGER NOT NULL,
    col_span INTEGER NOT NULL DEFAULT 1,
    row_span INTEGER NOT NULL DEFAULT 1,
    config JSON,
    created_at TIMESTAMP DEFAULT CURRENT_TIMESTAMP,
    updated_at TIMESTAMP DEFAULT CURRENT_TIMESTAMP
);

-- Per-file import progress: a second run reads only bytes it has not seen.
CREATE TABLE IF NOT EXISTS import_state (
    source VARCHAR NOT NULL,
    file_path VARCHAR NOT NULL,
    file_hash VARCHAR NOT NULL,
    imported_at TIMESTAMP NOT NULL,
    record_count INTEGER NOT NULL,
    byte_offset BIGINT DEFAULT 0,
    message_count INTEGER DEFAULT 0,
    parser_state VARCHAR,
    file_size BIGINT DEFAULT 0,
    file_mtime_ms BIGINT DEFAULT 0,
    first_time TIMESTAMP,
    last_time TIMESTAMP,
    PRIMARY KEY (source, file_path)
);

CREATE TABLE IF NOT EXISTS settings (
    key VARCHAR PRIMARY KEY,
    value VARCHAR NOT NULL
);
