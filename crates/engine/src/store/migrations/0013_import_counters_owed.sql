-- The usage records of a bulk import whose token and cost counters its end derives from them
-- (store::import_counters), written in the same transaction as the records, so a store whose import
-- was stopped half-way derives them when it is next opened. Emptied by the derivation.
CREATE TABLE IF NOT EXISTS import_counters_owed (RecordKey VARCHAR NOT NULL, ImportSource VARCHAR NOT NULL);
