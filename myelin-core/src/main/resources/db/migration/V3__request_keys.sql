-- One idempotency store for every write (publish, axon create/update/delete, Axon SQL, and what comes next).
-- A retry identity (the Idempotency-Key header, else the SDKs' x-request-id) names one request within a scope: the
-- axon the request is about, or '' for requests about no single axon (axon create). The stored fingerprint is a
-- SHA-256 of the request (caller, method, path, canonical body), so the same key sent with a different request is
-- refused instead of answered with another request's result.
CREATE TABLE request_keys (
  scope       TEXT    NOT NULL,
  key         TEXT    NOT NULL,
  -- SHA-256 of the request; NULL only for keys migrated from idempotency_keys (they match any request, as before)
  fingerprint BLOB,
  -- while the request runs outside this database (Axon SQL): the boot id of the node running it; NULL once done
  owner       TEXT,
  -- the stored answer: HTTP status and body (its encoding belongs to the route that stored it); NULL while running
  status      INTEGER,
  result      BLOB,
  created_ms  INTEGER NOT NULL,
  PRIMARY KEY (scope, key)
) WITHOUT ROWID;
CREATE INDEX request_keys_created ON request_keys(created_ms);

INSERT INTO request_keys(scope, key, fingerprint, owner, status, result, created_ms)
  SELECT a.id, k.key, NULL, NULL, 200,
         CAST(json_object('first_seq', k.first_seq, 'count', k.count, 'ts', k.ts) AS BLOB), k.created_ms
  FROM idempotency_keys k JOIN axons a ON a.pk = k.axon;
DROP TABLE idempotency_keys;
