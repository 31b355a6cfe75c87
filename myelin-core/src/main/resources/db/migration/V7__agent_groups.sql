-- The process groups of the agents this server launched (io.myelin.broker.AgentGroupStore): a row from the launch
-- until the agent's main process has exited and its group was killed. Whatever is left at start-up belonged to a
-- server that died without stopping its agents; the next start kills each group that still exists with the same
-- leader start time (so a reused pid is never hit), then empties the table.
CREATE TABLE agent_groups (
  pgid       INTEGER NOT NULL,          -- the agent's pid, which leads its own process group
  start_time INTEGER NOT NULL,          -- /proc/<pid>/stat field 22 (clock ticks since boot), 0 where unknown
  label      TEXT    NOT NULL,          -- for logs: the agent's executable and working directory
  PRIMARY KEY (pgid, start_time)
) WITHOUT ROWID;
