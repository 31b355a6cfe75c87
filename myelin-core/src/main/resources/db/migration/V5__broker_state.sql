-- What a broker keeps about the axon it relays (io.myelin.broker.BrokerState): one row per axon a broker has run on,
-- removed when the axon's events are purged. `version` grows by one on every save; a save names the version it was
-- derived from, so two brokers racing on one axon cannot both move it.
CREATE TABLE broker_state (
  axon         INTEGER PRIMARY KEY,       -- axons.pk
  version      INTEGER NOT NULL,
  cursor       INTEGER NOT NULL,          -- every event at or below it is handled
  turn_cursor  INTEGER NOT NULL,          -- the last turn-starting event whose turn started
  turn_id      TEXT,                      -- the turn in progress, or NULL
  turn_trigger INTEGER NOT NULL DEFAULT 0,
  session_id   TEXT,
  context      TEXT    NOT NULL,          -- a JSON object: what the protocol needs to restore the agent
  updated_ms   INTEGER NOT NULL
);
