-- A span is stored once per (service, trace, span id). The writer keeps the first copy of a resent
-- span (`insert_new_spans`), and the trace queries read the table as it is. A store written by an
-- earlier version may hold more copies of a span (one resent with another start time); this keeps
-- the earliest, as the writer does, and removes the others.
DELETE FROM otel_traces WHERE rowid IN (
    SELECT rowid FROM (
        SELECT rowid, row_number() OVER (PARTITION BY ServiceName, TraceId, SpanId ORDER BY Timestamp, rowid) AS copy
        FROM otel_traces
    ) WHERE copy > 1
);
