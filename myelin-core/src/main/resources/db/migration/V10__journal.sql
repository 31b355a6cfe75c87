-- The step journal (io.myelin.journal.JournalStore): per axon, step name -> recorded result, first writer wins.
-- pk is the recording order (a step's place is where it was first written; forgetting it and writing it again
-- gives it a new place).
CREATE TABLE journal_steps (
  pk             INTEGER PRIMARY KEY,
  axon           INTEGER NOT NULL,        -- axons.pk; the rows go when the deleted axon is purged
  step           TEXT    NOT NULL,        -- 1..256 characters
  status         TEXT    NOT NULL,        -- completed | failed | streaming (a stream not sealed yet: no result)
  result         TEXT,                    -- JSON text; NULL while streaming or when complete gave none
  attempt        INTEGER NOT NULL,        -- a stream's attempt, moved on by a restart; 0 for a plain record
  chunk_count    INTEGER NOT NULL,
  bytes          INTEGER NOT NULL,        -- UTF-8 bytes of the result and the chunks together
  recorded_at_ms INTEGER NOT NULL,
  UNIQUE (axon, step)
);
CREATE INDEX journal_steps_order ON journal_steps(axon, pk);
-- A streamed step's chunks, in order; a restart deletes the attempt's chunks before it appends its own.
CREATE TABLE journal_chunks (
  step  INTEGER NOT NULL,                 -- journal_steps.pk
  idx   INTEGER NOT NULL,
  chunk TEXT    NOT NULL,                 -- JSON text
  PRIMARY KEY (step, idx)
) WITHOUT ROWID;
