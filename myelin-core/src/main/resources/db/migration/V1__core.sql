-- Server-owned storage. Per-axon user SQL lives in separate files and can never reach these tables.

-- One row per axon ever created. Deleted axons keep a tombstone row so list cursors that name them stay valid.
CREATE TABLE axons (
  pk            INTEGER PRIMARY KEY,
  id            TEXT    NOT NULL UNIQUE,
  name          TEXT,
  metadata      TEXT    NOT NULL DEFAULT '{}',
  created_at_ms INTEGER NOT NULL,
  -- highest committed sequence; written in the same transaction as the events, so it is never ahead of them
  last_seq      INTEGER NOT NULL DEFAULT 0,
  deleted_at_ms INTEGER,
  -- 1 once every event and idempotency key of a deleted axon has been removed
  purged        INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX axons_pending_purge ON axons(purged) WHERE deleted_at_ms IS NOT NULL AND purged = 0;

-- Events clustered by (axon, seq): a replay or a history page is one contiguous range scan.
CREATE TABLE events (
  axon       INTEGER NOT NULL,
  seq        INTEGER NOT NULL,
  event_type TEXT    NOT NULL,
  origin     TEXT    NOT NULL,
  source     TEXT    NOT NULL,
  payload    TEXT    NOT NULL,
  ts         INTEGER NOT NULL,
  PRIMARY KEY (axon, seq)
) WITHOUT ROWID;

-- Publish idempotency: a key names a contiguous run of sequences [first_seq, first_seq + count).
CREATE TABLE idempotency_keys (
  axon       INTEGER NOT NULL,
  key        TEXT    NOT NULL,
  first_seq  INTEGER NOT NULL,
  count      INTEGER NOT NULL,
  ts         INTEGER NOT NULL,
  created_ms INTEGER NOT NULL,
  PRIMARY KEY (axon, key)
) WITHOUT ROWID;
CREATE INDEX idempotency_keys_created ON idempotency_keys(created_ms);

-- API keys: only a SHA-256 of each key is stored.
CREATE TABLE api_keys (
  hash       TEXT    PRIMARY KEY,
  name       TEXT    NOT NULL UNIQUE,
  role       TEXT    NOT NULL,
  created_ms INTEGER NOT NULL
);
