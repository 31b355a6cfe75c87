package io.myelin.broker;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * Linux only: whether every process of a process group has stopped after a {@code SIGSTOP} to the group. The signal
 * is delivered asynchronously (a process running on another CPU stops a moment later), so a freeze that must be
 * true when it is announced polls {@code /proc/<pid>/stat} (field 3, the state; field 5, the group) until no member
 * is in any state but stopped ({@code T}, {@code t}) or gone ({@code Z}, {@code X}, no entry), within a bound.
 *
 * <p>Where {@code /proc/self/stat} does not exist (not Linux) {@link #SUPPORTED} is false and nothing is checked.
 * Threading: stateless; {@link #await} parks the calling thread between polls (1 ms, growing to 10 ms).
 */
final class ProcessGroupStops {
    private static final Path PROC = Path.of("/proc");
    /** Whether this system has Linux's {@code /proc/<pid>/stat}. */
    static final boolean SUPPORTED = Files.isReadable(PROC.resolve("self/stat"));

    private ProcessGroupStops() {}

    /**
     * Polls until every process of group {@code pgid} is stopped or gone, at most {@code bound}.
     *
     * @return the members still not stopped then, as {@code pid:state} (empty: all stopped, or not supported)
     */
    static List<String> await(long pgid, Duration bound) {
        if (!SUPPORTED) {
            return List.of();
        }
        long deadline = System.nanoTime() + bound.toNanos();
        List<Long> members = members(pgid);
        long pause = TimeUnit.MILLISECONDS.toNanos(1);
        while (true) {
            List<String> running = new ArrayList<>();
            List<Long> left = new ArrayList<>();
            for (long pid : members) {
                char state = state(pid);
                if (state != 'T' && state != 't' && state != 'Z' && state != 'X' && state != 0) {
                    running.add(pid + ":" + state);
                    left.add(pid);
                }
            }
            if (running.isEmpty() || System.nanoTime() - deadline >= 0) {
                return running;
            }
            members = left;
            LockSupport.parkNanos(Math.min(pause, Math.max(1, deadline - System.nanoTime())));
            pause = Math.min(pause * 2, TimeUnit.MILLISECONDS.toNanos(10));
        }
    }

    /** The pids whose process group is {@code pgid} (one walk of {@code /proc}). */
    private static List<Long> members(long pgid) {
        List<Long> out = new ArrayList<>();
        try (DirectoryStream<Path> dirs = Files.newDirectoryStream(PROC)) {
            for (Path p : dirs) {
                String name = p.getFileName().toString();
                if (name.isEmpty() || !Character.isDigit(name.charAt(0))) {
                    continue;
                }
                String[] f = fields(p.resolve("stat"));
                if (f != null && f.length > 2 && Long.toString(pgid).equals(f[2])) {
                    out.add(Long.parseLong(name));
                }
            }
        } catch (IOException | RuntimeException e) {
            out.add(pgid); // cannot list /proc: at least the leader is checked
        }
        if (!out.contains(pgid)) {
            out.add(pgid);
        }
        return out;
    }

    /** The state letter of {@code pid}, or 0 when it is gone. */
    private static char state(long pid) {
        String[] f = fields(PROC.resolve(Long.toString(pid)).resolve("stat"));
        return f == null || f.length == 0 || f[0].isEmpty() ? 0 : f[0].charAt(0);
    }

    /** The fields of a stat file after the command name (state first), or null when it cannot be read. */
    private static String[] fields(Path stat) {
        try {
            String s = Files.readString(stat);
            int close = s.lastIndexOf(')');
            return close < 0 || close + 2 > s.length() ? null : s.substring(close + 2).split(" ", 5);
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }
}
