-- Scoped API keys: each key holds scopes (a JSON array of scope names), optionally only on some axons (a JSON array
-- of axon ids; NULL: every axon), may expire, is revoked by marking it (the row stays, so GET /v1/keys/{id} can
-- still say when), and keeps the hash of its previous secret while a rotation's grace period lasts. Keys stored so
-- far were the admin key: it becomes the bootstrap key with the admin scope. The table is rebuilt because SQLite
-- cannot change a primary key in place; pk orders listing.
CREATE TABLE api_keys_v11 (
  pk                     INTEGER PRIMARY KEY,
  id                     TEXT    NOT NULL UNIQUE,
  hash                   TEXT    NOT NULL UNIQUE,
  name                   TEXT    NOT NULL,
  scopes                 TEXT    NOT NULL,
  axon_ids               TEXT,
  created_ms             INTEGER NOT NULL,
  expires_at_ms          INTEGER,
  revoked_at_ms          INTEGER,
  previous_hash          TEXT    UNIQUE,
  previous_expires_at_ms INTEGER,
  bootstrap              INTEGER NOT NULL DEFAULT 0
);
INSERT INTO api_keys_v11(id, hash, name, scopes, created_ms, bootstrap)
  SELECT id, hash, name, '["admin"]', created_ms, name = 'admin' FROM api_keys ORDER BY created_ms;
DROP TABLE api_keys;
ALTER TABLE api_keys_v11 RENAME TO api_keys;
-- What a start loads: the keys not revoked.
CREATE INDEX api_keys_live ON api_keys(pk) WHERE revoked_at_ms IS NULL;
