-- Durable intents (io.myelin.intent.IntentStore). A row per intent; `view` is its IntentView JSON, the same text as
-- its latest intent.* event's payload. The other columns are copies of view fields that queries filter on.
CREATE TABLE intents (
  pk          INTEGER PRIMARY KEY,
  id          TEXT    NOT NULL UNIQUE,      -- int_ + 26 base32 characters
  axon        INTEGER NOT NULL,             -- axons.pk; the rows go when the deleted axon is purged
  status      TEXT    NOT NULL,             -- waiting | completed | failed | cancelled | expired
  waiting_for TEXT    NOT NULL,             -- human | tool | agent | time
  kind        TEXT    NOT NULL,
  assignee    TEXT,
  due_ms      INTEGER,                      -- the next timer (fire, deadline, reminder), NULL when none
  view        TEXT    NOT NULL
);
-- The timer index: the timer thread reads its earliest rows; nothing about timers lives only in memory.
CREATE INDEX intents_due ON intents(due_ms, pk) WHERE due_ms IS NOT NULL;
CREATE INDEX intents_axon ON intents(axon, pk);
-- The inbox: status=waiting&waiting_for=human[&assignee=…] in creation order.
CREATE INDEX intents_inbox ON intents(status, waiting_for, assignee, pk);
