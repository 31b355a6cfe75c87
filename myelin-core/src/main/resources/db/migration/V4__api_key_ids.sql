-- Every API key gets a stable id (key_ + 24 hex characters): what logs and records name instead of the key, and
-- what a request's retry fingerprint covers as its caller. Existing keys get a random one here; new keys get theirs
-- from the server. The table is rebuilt because SQLite cannot add a NOT NULL UNIQUE column in place.
CREATE TABLE api_keys_new (
  hash       TEXT    PRIMARY KEY,
  id         TEXT    NOT NULL UNIQUE,
  name       TEXT    NOT NULL UNIQUE,
  role       TEXT    NOT NULL,
  created_ms INTEGER NOT NULL
);
INSERT INTO api_keys_new(hash, id, name, role, created_ms)
  SELECT hash, 'key_' || lower(hex(randomblob(12))), name, role, created_ms FROM api_keys;
DROP TABLE api_keys;
ALTER TABLE api_keys_new RENAME TO api_keys;

-- Fingerprints stored so far began with the key's name; from now on they begin with its id, so none of them could
-- match a retry again, and a client retrying across the upgrade would be refused (422) instead of answered. They
-- become NULL, which matches any request (as for keys migrated in V3) until they expire (idempotency.retention).
UPDATE request_keys SET fingerprint = NULL WHERE fingerprint IS NOT NULL;
