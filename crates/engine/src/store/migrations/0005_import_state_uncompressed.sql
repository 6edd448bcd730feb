-- Parser states are JSON of up to tens of kilobytes per file (Gemini CLI's first-seen message
-- times). DuckDB stored them ZSTD-compressed, which has no random access: reading one file's state
-- before reading the file decompressed most of the column, 8 ms per file. Kept uncompressed now
-- (a few megabytes for a thousand files); the table is rebuilt because a column's compression
-- cannot be altered.
CREATE TABLE import_state_rebuilt (
    source VARCHAR NOT NULL,
    file_path VARCHAR NOT NULL,
    file_hash VARCHAR NOT NULL,
    imported_at TIMESTAMP NOT NULL,
    record_count INTEGER NOT NULL,
    byte_offset BIGINT DEFAULT 0,
    message_count INTEGER DEFAULT 0,
    parser_state VARCHAR USING COMPRESSION uncompressed,
    file_size BIGINT DEFAULT 0,
    file_mtime_ms BIGINT DEFAULT 0,
    first_time TIMESTAMP,
    last_time TIMESTAMP,
    EndsMidLine BOOLEAN DEFAULT FALSE,
    PRIMARY KEY (source, file_path)
);
INSERT INTO import_state_rebuilt
    SELECT source, file_path, file_hash, imported_at, record_count, byte_offset, message_count, parser_state, file_size,
           file_mtime_ms, first_time, last_time, EndsMidLine
    FROM import_state;
DROP TABLE import_state;
ALTER TABLE import_state_rebuilt RENAME TO import_state;
