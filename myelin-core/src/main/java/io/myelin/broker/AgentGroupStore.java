package io.myelin.broker;

import java.util.List;

/**
 * Port: the process groups of the agents this server launched and has not seen end (the SQLite adapter: table
 * {@code agent_groups} in {@code myelin.db}). A row outlives a server that was killed ({@code kill -9}, a crash), so
 * that the next start can kill what it left running ({@link AgentGroupReaper}).
 *
 * <p>Threading: thread-safe; calls block until durable. Errors are {@link io.myelin.error.MyelinException}s (503/507
 * for storage that cannot write).
 */
public interface AgentGroupStore {
    /** Every recorded group. */
    List<AgentGroup> loadAll();

    /** Records a group (nothing changes when it is recorded already). */
    void add(AgentGroup group);

    /** Forgets a group (nothing changes when it is not recorded). */
    void remove(AgentGroup group);
}
