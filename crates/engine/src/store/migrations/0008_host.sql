-- The host a request's usage came from (`host.name`, where the tool's resource names it), beside
-- the machine (the named token a team server received it with) and the person.
ALTER TABLE usage_records ADD COLUMN IF NOT EXISTS Host VARCHAR;
