package io.myelin.broker;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * At server start, before any agent is launched: kills the agent process groups a previous server recorded
 * ({@link AgentGroupStore}) and did not see end, because it was killed ({@code kill -9}) or crashed; its agents,
 * re-parented to init, would otherwise keep running beside the new ones on the same workspaces. A group is killed
 * ({@code SIGKILL} to the group) only when its leader still exists with the recorded start time
 * ({@code /proc/<pid>/stat} field 22), so that a reused pid is never hit; then every record is removed.
 *
 * <p>Linux: where {@code /proc/self/stat} does not exist no start time can be checked and nothing is killed (the
 * records are dropped, with a warning). Processes an agent moved out of its group ({@code setsid}) are not tracked.
 * Threading: call once, from the starting thread; it blocks at most {@link #GONE_WAIT} per group killed.
 */
public final class AgentGroupReaper {
    private static final Logger log = LoggerFactory.getLogger(AgentGroupReaper.class);
    private static final Path PROC = Path.of("/proc");
    /** How long a killed group's leader may take to be gone before the start goes on anyway. */
    static final Duration GONE_WAIT = Duration.ofSeconds(5);

    private AgentGroupReaper() {}

    /**
     * Kills what is left of every recorded group, then forgets them all.
     *
     * @return how many groups were killed
     * @throws io.myelin.error.MyelinException when the store cannot be read or written (the server does not start)
     */
    public static int reap(AgentGroupStore store) {
        int killed = 0;
        Path kill = LocalAgentLauncher.resolve("kill", LocalAgentLauncher.DEFAULT_PATH);
        for (AgentGroup g : store.loadAll()) {
            long now = startTime(g.pgid());
            if (now > 0 && now == g.startTime()) {
                log.warn("agent group {} ({}) outlived the last server; killing it", g.pgid(), g.label());
                signalKill(kill, g.pgid());
                awaitGone(g);
                killed++;
            } else if (g.startTime() == 0 && now > 0) {
                log.warn("agent group {} ({}) was recorded without a start time; not killed", g.pgid(), g.label());
            }
            store.remove(g);
        }
        return killed;
    }

    /** The start time of {@code pid} in clock ticks since boot ({@code /proc/<pid>/stat} field 22), 0 when unknown. */
    static long startTime(long pid) {
        try {
            String s = Files.readString(PROC.resolve(Long.toString(pid)).resolve("stat"));
            int close = s.lastIndexOf(')');
            String[] f = s.substring(close + 2).split(" ");
            char state = f[0].isEmpty() ? 0 : f[0].charAt(0);
            // field 3 is f[0], so field 22 is f[19]; a zombie is gone for this purpose
            return state == 'Z' || state == 'X' || f.length < 20 ? 0 : Long.parseLong(f[19]);
        } catch (IOException | RuntimeException e) {
            return 0;
        }
    }

    private static void signalKill(Path kill, long pgid) {
        if (kill == null) {
            log.warn("cannot kill agent group {}: no kill(1) in {}", pgid, LocalAgentLauncher.DEFAULT_PATH);
            return;
        }
        try {
            Process p = new ProcessBuilder(kill.toString(), "-KILL", "--", "-" + pgid)
                    .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            if (!p.waitFor(GONE_WAIT.toMillis(), TimeUnit.MILLISECONDS)) {
                p.destroyForcibly();
                log.warn("kill -KILL to agent group {} did not return within {} ms", pgid, GONE_WAIT.toMillis());
            }
        } catch (IOException e) {
            log.warn("cannot kill agent group {}: {}", pgid, e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Polls until the group's leader is gone (or a zombie of init's), at most {@link #GONE_WAIT}. */
    private static void awaitGone(AgentGroup g) {
        long deadline = System.nanoTime() + GONE_WAIT.toNanos();
        while (startTime(g.pgid()) == g.startTime()) {
            if (System.nanoTime() - deadline >= 0) {
                log.warn("agent group {} still has its leader {} ms after SIGKILL; going on", g.pgid(), GONE_WAIT.toMillis());
                return;
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(10));
        }
    }
}
