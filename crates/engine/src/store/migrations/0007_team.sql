-- A team server: the named API tokens machines send with (only a SHA-256 of each token is kept),
-- and on every request's usage the machine that sent it (the token's name; NULL for this machine's
-- own rows) and the person (`user.email`) where the data names one. Times are UTC.
CREATE TABLE IF NOT EXISTS api_tokens (
    Name VARCHAR PRIMARY KEY,
    TokenHash VARCHAR NOT NULL,
    CreatedAt TIMESTAMP NOT NULL,
    RevokedAt TIMESTAMP
);
ALTER TABLE usage_records ADD COLUMN IF NOT EXISTS Machine VARCHAR;
ALTER TABLE usage_records ADD COLUMN IF NOT EXISTS UserEmail VARCHAR;
