package io.myelin.server;

import io.myelin.broker.BrokerFactory;
import io.myelin.broker.BrokerListener;
import io.myelin.broker.BrokerSpec;
import io.myelin.broker.MountedBroker;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The process half of a broker, for tests of the devbox layer on their own (not the relay): it starts the
 * mount's agent command as a real process (stdin held open, so {@code /bin/cat} runs until stopped), freezes it with a
 * real SIGSTOP, thaws it with SIGCONT, stops it with SIGTERM then SIGKILL, and starts it again on a resume after a
 * stop. It relays no events. Tests drive the broker's side of the seam through {@link Mount#listener()} (as a real
 * broker would call it) and set what {@link MountedBroker#idle()} answers.
 *
 * <p>Every mount it started stays in {@link #mounts()} in start order, for assertions.
 */
public final class ProcessBrokerFactory implements BrokerFactory {
    private final List<Mount> mounts = new CopyOnWriteArrayList<>();

    @Override
    public MountedBroker start(BrokerSpec spec, BrokerListener listener) {
        Mount m = new Mount(spec, listener);
        m.launch();
        mounts.add(m);
        return m;
    }

    /** A mount whose agent is not started: its first {@code resume} starts it. Recorded as {@code attach}. */
    @Override
    public MountedBroker startStopped(BrokerSpec spec, BrokerListener listener) {
        Mount m = new Mount(spec, listener);
        m.calls.add("attach");
        mounts.add(m);
        return m;
    }

    public List<Mount> mounts() {
        return List.copyOf(mounts);
    }

    /** The mounts started for {@code devboxId}, oldest first. */
    public List<Mount> mountsOf(String devboxId) {
        return mounts.stream().filter(m -> m.spec.devboxId().equals(devboxId)).toList();
    }

    /** One mount: its spec, its listener, its current agent process and what was asked of it. */
    public static final class Mount implements MountedBroker {
        private final BrokerSpec spec;
        private final BrokerListener listener;
        private final List<String> calls = new CopyOnWriteArrayList<>();
        private final AtomicBoolean idle = new AtomicBoolean(true);
        private volatile Process process;
        private volatile boolean frozen;
        private volatile boolean closed;

        Mount(BrokerSpec spec, BrokerListener listener) {
            this.spec = spec;
            this.listener = listener;
        }

        public BrokerSpec spec() {
            return spec;
        }

        public BrokerListener listener() {
            return listener;
        }

        /**
         * Every call the devbox made, in order: {@code start} (or {@code attach}: started with no agent process),
         * {@code suspend}, {@code shutdown}, {@code resume}, {@code close}.
         */
        public List<String> calls() {
            return List.copyOf(calls);
        }

        /** The agent process started last; null while none was started. */
        public Process process() {
            return process;
        }

        public boolean closed() {
            return closed;
        }

        /** What {@link #idle()} answers from now on. */
        public void setIdle(boolean value) {
            idle.set(value);
        }

        synchronized void launch() {
            ProcessBuilder pb = new ProcessBuilder(spec.command()).directory(spec.workingDirectory().toFile())
                    .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD);
            pb.environment().clear();
            pb.environment().putAll(spec.environment());
            try {
                process = pb.start();
            } catch (IOException e) {
                throw new UncheckedIOException("cannot start agent " + spec.command(), e);
            }
            calls.add("start");
        }

        @Override
        public synchronized void suspend(Duration deadline) {
            calls.add("suspend");
            signal("STOP");
            frozen = true;
        }

        @Override
        public synchronized void shutdown(Duration deadline) {
            calls.add("shutdown");
            stop(deadline);
        }

        @Override
        public synchronized void resume() {
            calls.add("resume");
            if (frozen) {
                signal("CONT");
                frozen = false;
            } else if (process == null || !process.isAlive()) {
                launch();
            }
        }

        @Override
        public boolean idle() {
            return idle.get();
        }

        @Override
        public synchronized void close() {
            if (closed) {
                return;
            }
            closed = true;
            calls.add("close");
            if (process == null) {
                return;
            }
            if (frozen) {
                signal("CONT");
            }
            try {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        private void stop(Duration deadline) {
            if (process == null) {
                return;
            }
            if (frozen) {
                signal("CONT"); // a frozen process cannot act on SIGTERM
                frozen = false;
            }
            process.destroy();
            try {
                if (!process.waitFor(deadline.toMillis(), TimeUnit.MILLISECONDS)) {
                    process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        /** Sends a real signal to the agent process with {@code kill}. */
        private void signal(String name) {
            try {
                Process kill = new ProcessBuilder("kill", "-" + name, Long.toString(process.pid())).inheritIO().start();
                if (!kill.waitFor(10, TimeUnit.SECONDS) || kill.exitValue() != 0) {
                    throw new IllegalStateException("kill -" + name + " " + process.pid() + " failed");
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
    }

    /**
     * The state letter Linux gives a process in {@code /proc/<pid>/stat}: {@code T} stopped by a signal, {@code S}
     * sleeping, {@code R} running; {@code -} once it is gone.
     */
    public static String processState(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
            return stat.substring(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3);
        } catch (IOException gone) {
            return "-";
        }
    }

    /**
     * Waits until the process is stopped by a signal ({@code stopped}) or no longer is: the kernel stops or continues
     * it when it next handles the signal, a moment after {@code kill} returned.
     */
    public static void awaitState(long pid, boolean stopped) {
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(30)).until(() ->
                processState(pid).equals("T") == stopped);
    }

    /** Variables of the process's environment as Linux shows them ({@code /proc/<pid>/environ}). */
    public static List<String> processEnvironment(long pid) throws IOException {
        String env = Files.readString(Path.of("/proc", Long.toString(pid), "environ"));
        return new ArrayList<>(List.of(env.split("\0")));
    }
}
