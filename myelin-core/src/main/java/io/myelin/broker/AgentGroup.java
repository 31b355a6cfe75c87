package io.myelin.broker;

import java.util.Objects;

/**
 * A launched agent's process group as it is recorded durably: {@code pgid} is the agent's pid (it leads its own
 * group), {@code startTime} its start in clock ticks since boot ({@code /proc/<pid>/stat} field 22; 0 where that is
 * unknown) so that a pid reused after a reboot or a wrap-around is never taken for it, {@code label} names it in logs.
 */
public record AgentGroup(long pgid, long startTime, String label) {
    public AgentGroup {
        Objects.requireNonNull(label, "label");
        if (pgid <= 1 || startTime < 0) {
            throw new IllegalArgumentException("pgid must be > 1 and startTime >= 0");
        }
    }
}
