package io.myelin.broker;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** A child process that leads its own process group; signals go to the whole group. */
final class LocalAgentProcess implements AgentProcess {
    private static final Logger log = LoggerFactory.getLogger(LocalAgentProcess.class);
    /** How long SIGKILL may take to end the group before {@link #terminate} gives up waiting. */
    private static final Duration KILL_WAIT = Duration.ofSeconds(5);
    /** How long a freeze waits for every process of the group to be stopped. */
    private static final Duration STOP_WAIT = Duration.ofSeconds(1);

    private final Process process;
    private final String kill;
    private final CompletableFuture<Integer> exit;

    LocalAgentProcess(Process process, String kill) {
        this.process = process;
        this.kill = kill;
        this.exit = process.onExit().thenApply(Process::exitValue);
    }

    @Override
    public long pid() {
        return process.pid();
    }

    @Override
    public OutputStream stdin() {
        return process.getOutputStream();
    }

    @Override
    public InputStream stdout() {
        return process.getInputStream();
    }

    @Override
    public InputStream stderr() {
        return process.getErrorStream();
    }

    @Override
    public CompletableFuture<Integer> exit() {
        return exit;
    }

    /**
     * SIGSTOP to the group, then (Linux) waits at most {@link #STOP_WAIT} until every member is stopped, so that
     * the suspend announced next is true; a member still running then is logged and the freeze goes on.
     */
    @Override
    public void freeze() {
        signal("STOP");
        List<String> running = ProcessGroupStops.await(process.pid(), STOP_WAIT);
        if (!running.isEmpty()) {
            log.warn("agent group {}: not every process stopped within {} ms of SIGSTOP (pid:state {}); going on",
                    process.pid(), STOP_WAIT.toMillis(), running);
        }
    }

    @Override
    public void thaw() {
        signal("CONT");
    }

    @Override
    public int terminate(Duration grace) {
        if (process.isAlive()) {
            signal("CONT"); // a frozen process cannot act on SIGTERM
            signal("TERM");
            await(grace);
        }
        // Children that outlive the leader (or ignore SIGTERM) end here; the group is empty when all are gone.
        signal("KILL");
        Integer status = await(KILL_WAIT);
        return status == null ? -1 : status;
    }

    @Override
    public void kill() {
        signal("KILL");
    }

    private Integer await(Duration d) {
        try {
            return exit.get(Math.max(1, d.toMillis()), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        } catch (ExecutionException e) {
            return null;
        }
    }

    /**
     * Sends {@code name} to the process group through kill(1). A group whose members have all exited answers
     * "no such process", which is what a late signal should find: nothing to do.
     */
    private void signal(String name) {
        try {
            Process p = new ProcessBuilder(kill, "-" + name, "--", "-" + process.pid())
                    .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            if (!p.waitFor(KILL_WAIT.toMillis(), TimeUnit.MILLISECONDS)) {
                p.destroyForcibly();
                log.warn("kill -{} to agent group {} did not return within {} ms", name, process.pid(), KILL_WAIT.toMillis());
            }
        } catch (IOException e) {
            log.warn("cannot signal agent group {} with {}: {}", process.pid(), name, e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
