package io.myelin.devbox;

import java.time.Duration;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The worker of one devbox: a virtual thread ({@code myelin-devbox-<id>}) per job, one job at a time. A job spawned
 * while the one before still finishes (a thaw that goes on after the devbox is running) starts once it ended (bounded,
 * see {@link #await}), so their effects on the agents come in order. After each job, {@code ended} runs under the
 * supervisor's lock (the supervisor carries out a resume that arrived meanwhile and wakes its waiters).
 *
 * <p>Threading: {@link #spawn}, {@link #busy} and {@link #current} are called with the supervisor's lock held.
 */
final class DevboxWorker {
    private static final Logger log = LoggerFactory.getLogger(DevboxWorker.class);

    private final String id;
    private final ReentrantLock lock;
    private final Duration stopTimeout;
    private final Runnable ended;
    /** Guarded by lock: the last job's thread while it runs. */
    private Thread current;

    DevboxWorker(String id, ReentrantLock lock, Duration stopTimeout, Runnable ended) {
        this.id = id;
        this.lock = lock;
        this.stopTimeout = stopTimeout;
        this.ended = ended;
    }

    /** Lock held. Whether a job runs. */
    boolean busy() {
        return current != null;
    }

    /** Lock held. The last job's thread while it runs, else null. */
    Thread current() {
        return current;
    }

    /** Lock held. Starts {@code job} once the job before it (if any) ended. */
    void spawn(Runnable job) {
        Thread before = current;
        Thread t = Thread.ofVirtual().name("myelin-devbox-" + id).unstarted(() -> {
            try {
                await(before);
                job.run();
            } catch (RuntimeException e) {
                log.error("devbox {}: its worker failed", id, e);
            } finally {
                lock.lock();
                try {
                    if (current == Thread.currentThread()) {
                        current = null;
                    }
                    ended.run();
                } catch (RuntimeException e) {
                    log.error("devbox {}: cannot carry on after its worker", id, e);
                } finally {
                    lock.unlock();
                }
            }
        });
        current = t;
        t.start();
    }

    /** Waits for {@code busy} (a job's thread) to end: at most twice the stop timeout (an agent may be stopping). */
    void await(Thread busy) {
        if (busy == null || busy == Thread.currentThread()) {
            return;
        }
        Duration limit = stopTimeout.multipliedBy(2);
        try {
            if (!busy.join(limit)) {
                log.warn("devbox {}: its worker is still busy after {}; going on without it", id, limit);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
