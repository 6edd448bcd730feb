-- How far the acknowledgement journal (`<database>.journal`, store::journal) is stored here: the
-- highest sequence number committed, written in the same transaction as the rows, so the entries
-- above it are stored when the database is next opened and none twice.
CREATE TABLE IF NOT EXISTS journal_state (Applied UBIGINT NOT NULL);
INSERT INTO journal_state SELECT 0 WHERE NOT EXISTS (SELECT 1 FROM journal_state);
