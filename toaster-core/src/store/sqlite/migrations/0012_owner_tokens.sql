-- Owner tokens: what `toaster serve` signs browsers and API clients in with. Only the
-- SHA-256 of a token's secret is kept; a revoked token stays (revoked_at) for the record.

CREATE TABLE owner_token (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    owner_id    INTEGER NOT NULL REFERENCES owner (id) ON DELETE CASCADE,
    name        TEXT    NOT NULL COLLATE NOCASE,
    hash        TEXT    NOT NULL UNIQUE CHECK (length(hash) = 64),
    created_at  INTEGER NOT NULL,
    expires_at  INTEGER,
    revoked_at  INTEGER,
    UNIQUE (owner_id, name)
);
