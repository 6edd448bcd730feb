-- Work a bulk import leaves for its end, recorded in the same transaction as its rows, so a store
-- whose import was stopped half-way finishes it when it is next opened (store::bulk_finish).
-- `remove-keyed-copies`: keyed log and metric rows were appended without looking for stored copies.
CREATE TABLE IF NOT EXISTS pending_work (Task VARCHAR PRIMARY KEY);
