-- Which stored usage records are the same model request (MatchKey) and which one of them counts
-- (Counted), kept by store::reconcile on every write; NULL until the next start matches them.
ALTER TABLE usage_records ADD COLUMN MatchKey VARCHAR;
ALTER TABLE usage_records ADD COLUMN Counted BOOLEAN;
-- The last read of a file took its last line without a newline: the next read skips that newline.
ALTER TABLE import_state ADD COLUMN EndsMidLine BOOLEAN DEFAULT FALSE;
