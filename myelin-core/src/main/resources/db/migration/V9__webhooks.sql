-- Webhooks (io.myelin.webhook): where events are pushed, and the durable outbox of their deliveries.

-- One row per webhook; pk is the creation order (list cursors), id what clients see. The secret is the signing key
-- in Standard Webhooks form ("whsec_" + base64), returned once at creation.
CREATE TABLE webhooks (
  pk            INTEGER PRIMARY KEY,
  id            TEXT    NOT NULL UNIQUE,
  url           TEXT    NOT NULL,
  event_types   TEXT    NOT NULL,          -- JSON array of patterns: exact, "prefix.*" or "*"
  axon_id       TEXT,                      -- only this axon's events, or every axon's when NULL
  secret        TEXT    NOT NULL,
  created_at_ms INTEGER NOT NULL
);

-- One row per (webhook, event) owed, inserted in the same transaction as the event (the outbox). pk is the order of
-- changes: a webhook's deliveries are attempted oldest first, one at a time. The event itself is read from events
-- at each attempt (axon_id, sequence), so a delivery costs a row of ids, not a copy of the payload.
CREATE TABLE webhook_deliveries (
  pk                   INTEGER PRIMARY KEY,
  id                   TEXT    NOT NULL UNIQUE,   -- "msg_...": the webhook-id header, the same on every attempt
  webhook_pk           INTEGER NOT NULL,
  axon_id              TEXT    NOT NULL,
  sequence             INTEGER NOT NULL,
  event_type           TEXT    NOT NULL,
  status               TEXT    NOT NULL,          -- pending | delivered | dead
  attempts             INTEGER NOT NULL DEFAULT 0,
  next_attempt_at_ms   INTEGER,                   -- NULL once delivered or dead
  last_attempt_at_ms   INTEGER,
  last_response_status INTEGER,
  last_error           TEXT,
  created_at_ms        INTEGER NOT NULL,
  delivered_at_ms      INTEGER
);
-- A webhook's oldest pending delivery (the sender), and its deliveries by status (the listing).
CREATE INDEX webhook_deliveries_by_status ON webhook_deliveries(webhook_pk, status, pk);
-- A webhook's deliveries in order (the unfiltered listing, deleting a webhook).
CREATE INDEX webhook_deliveries_by_webhook ON webhook_deliveries(webhook_pk, pk);
