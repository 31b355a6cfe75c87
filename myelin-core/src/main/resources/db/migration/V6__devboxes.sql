-- Devboxes (Runloop's devbox API, the part that hosts agents): one row per devbox ever created. A shut-down devbox
-- keeps its row (its final status and history stay readable, and list cursors that name it stay valid).
CREATE TABLE devboxes (
  pk              INTEGER PRIMARY KEY,
  id              TEXT    NOT NULL UNIQUE,
  -- what the client asked for (name, metadata, environment, launch parameters, mounts), as JSON: kept unchanged
  -- so that a restart starts the devbox again exactly as it was created
  spec            TEXT    NOT NULL,
  -- the axons of its mounts, a JSON array: who may see the devbox depends on them
  mounted_axons   TEXT    NOT NULL,
  status          TEXT    NOT NULL,
  create_time_ms  INTEGER NOT NULL,
  end_time_ms     INTEGER,
  shutdown_reason TEXT,
  failure_reason  TEXT,
  -- its history, a JSON array of {status, transitionTimeMs, failureReason}, the most recent 100 kept
  transitions     TEXT    NOT NULL
);
-- What a start supervises again.
CREATE INDEX devboxes_unfinished ON devboxes(pk) WHERE status <> 'SHUTDOWN';
-- Listing by status walks this in creation order.
CREATE INDEX devboxes_by_status ON devboxes(status, pk);
