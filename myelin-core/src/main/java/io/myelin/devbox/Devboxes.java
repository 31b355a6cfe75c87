package io.myelin.devbox;

import io.myelin.auth.AccessPolicy;
import io.myelin.auth.Action;
import io.myelin.auth.Caller;
import io.myelin.axon.AxonIndex;
import io.myelin.axon.AxonLimits;
import io.myelin.broker.BrokerFactory;
import io.myelin.concurrent.MemoryBudget;
import io.myelin.error.ErrorKind;
import io.myelin.error.MyelinException;
import io.myelin.idempotency.RequestKey;
import io.myelin.stream.EventLog;
import java.time.Duration;
import java.time.InstantSource;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Devboxes (the part of Runloop's devbox API that hosts agents): create, read, list, suspend, resume, keep alive,
 * shut down, wait for a status. A devbox is a workspace directory, the commands run in it and the brokers of its
 * mounts, each relaying one axon to one agent process; {@link DevboxSupervisor} runs one devbox, this class holds
 * them, checks every request ({@link SpecValidator}, {@link AccessPolicy}), and looks for idle devboxes.
 *
 * <p><b>Durability.</b> Every status change is stored ({@link DevboxStore}) before it counts. At start, every devbox
 * not shut down is supervised again: one that was starting or running starts again (workspace kept, launch commands
 * run again, brokers started; the brokers restore their conversations from their own stored state), one that was
 * suspending or suspended stays suspended with its agents stopped, so that a resume or an event on its axons starts
 * them again. Workspaces of devboxes shut down meanwhile are removed (unless kept).
 *
 * <p><b>Access.</b> Creating needs a server-wide grant ({@link Action#DEVBOX_CREATE}) and, for each mounted axon,
 * the right to publish on it and subscribe to it (the agent acts on the axon for the caller). Acting on one devbox
 * is checked against its mounts by {@link AccessPolicy#checkDevbox}; a listing shows what the caller may read.
 *
 * <p><b>Idle.</b> One platform thread, {@code myelin-devbox-timer}, looks at every devbox each
 * {@code idleCheckInterval}; idleness is measured on the engine's clock, so a test moves its clock instead of
 * sleeping.
 *
 * <p>Threading: thread-safe; calls block the caller (a virtual thread) until their first move is durable.
 */
public final class Devboxes implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Devboxes.class);
    private static final Set<DevboxStatus> STARTED = EnumSet.complementOf(
            EnumSet.of(DevboxStatus.PROVISIONING, DevboxStatus.INITIALIZING));

    private final DevboxStore store;
    private final AccessPolicy policy;
    private final AxonLimits limits;
    private final SpecValidator validator;
    private final DevboxContext ctx;
    private final ConcurrentHashMap<String, DevboxSupervisor> live = new ConcurrentHashMap<>();
    /** The retry key each live devbox was created with, so that a retried create is answered, not refused 409. */
    /** How long a retried create waits for its original still claiming the same axons before 409 "still running". */
    static final Duration RETRY_WAIT = Duration.ofSeconds(10);
    private final ConcurrentHashMap<String, String> createKeys = new ConcurrentHashMap<>();
    /** Axons of creates between their check and their supervisor's start; guarded by its own monitor. */
    /** Axons claimed by creates in flight, to the create's key (empty: none). Guarded by itself. */
    private final Map<String, String> claiming = new HashMap<>();
    private final AtomicInteger places = new AtomicInteger();
    private final ScheduledExecutorService timer;
    private volatile boolean closed;

    private Devboxes(DevboxStore store, AccessPolicy policy, AxonLimits limits, SpecValidator validator,
                     DevboxContext ctx) {
        this.store = store;
        this.policy = policy;
        this.limits = limits;
        this.validator = validator;
        this.ctx = ctx;
        this.timer = Executors.newSingleThreadScheduledExecutor(r -> Thread.ofPlatform().name("myelin-devbox-timer")
                .daemon(true).unstarted(r));
    }

    /**
     * Supervises every unfinished devbox again (see the class comment) and starts the idle timer.
     *
     * @param axons   the live axons, which mounts must name
     * @param limits  the limits on names and metadata (shared with axons) and on list pages
     * @param brokers starts the brokers of mounts; null for a server that runs none (a mount is then refused)
     */
    public static Devboxes start(DevboxStore store, EventLog events, AxonIndex axons, AxonLimits limits,
                                 AccessPolicy policy, BrokerFactory brokers, DevboxHost host, DevboxOptions options,
                                 InstantSource clock) {
        DevboxContext ctx = new DevboxContext(store, new LifecycleEvents(events), brokers, host, options, clock);
        Devboxes d = new Devboxes(store, policy, limits,
                new SpecValidator(options, limits, axons, policy, brokers != null), ctx);
        List<Devbox> unfinished = store.loadUnfinished();
        Set<String> keep = new HashSet<>();
        unfinished.forEach(b -> keep.add(b.id()));
        if (!options.keepWorkspaces()) {
            int removed = host.removeAllExcept(keep);
            if (removed > 0) {
                log.info("removed {} workspaces of devboxes that were shut down", removed);
            }
        }
        for (Devbox b : unfinished) {
            d.places.incrementAndGet();
            d.live.put(b.id(), DevboxSupervisor.recover(b, ctx));
        }
        if (!unfinished.isEmpty()) {
            log.info("supervising {} devboxes again ({} allowed at once, devboxes.max-active)", unfinished.size(),
                    options.maxActive());
        }
        long every = options.idleCheckInterval().toNanos();
        d.timer.scheduleWithFixedDelay(d::checkIdle, every, every, TimeUnit.NANOSECONDS);
        return d;
    }

    /**
     * Creates a devbox and starts provisioning it; answers at once with it in {@code provisioning}.
     *
     * @param key the client's retry identity, or null; with a key, a repeat returns the devbox the first request
     *            created (as it was then) and creates nothing
     * @throws MyelinException as {@link SpecValidator} says; 409 naming {@code mounts[i].axon_id} when another
     *                         devbox of this server that has not failed or shut down mounts that axon (one broker
     *                         relays an axon); a repeat racing its original waits for it (at most
     *                         {@link #RETRY_WAIT}) and gets its answer, or 409 "still running" (worth retrying);
     *                         429 (not worth retrying soon) when {@code devboxes.max-active} devboxes exist
     */
    public Devbox create(Caller caller, DevboxSpec spec, RequestKey key) {
        Objects.requireNonNull(caller, "caller");
        if (closed) {
            throw new MyelinException(ErrorKind.UNAVAILABLE, null, "the server is stopping: no devbox is created now")
                    .retry(true, Duration.ofSeconds(1)).nothingApplied();
        }
        validator.check(caller, spec);
        int max = ctx.options().maxActive();
        if (places.incrementAndGet() > max) {
            places.decrementAndGet();
            throw new MyelinException(ErrorKind.TOO_MANY_REQUESTS, null, "this server already has " + max
                    + " devboxes that are not shut down, its limit (devboxes.max-active); shut one down first")
                    .retry(false, null);
        }
        boolean[] created = new boolean[1];
        List<String> claimed = List.of();
        try {
            claimed = claim(spec.mountedAxons(), key);
            return store.create(DevboxIds.next(), spec, RequestKey.sentBy(caller, key), b -> {
                // On the writer thread: starting the supervisor only hands its work to its own thread.
                created[0] = true;
                if (key != null) {
                    createKeys.put(b.id(), key.value());
                }
                DevboxSupervisor s = DevboxSupervisor.create(b, ctx);
                live.put(b.id(), s);
                if (closed) {
                    Thread.ofVirtual().start(s::close); // created while the server began to stop: stop it too
                }
            });
        } finally {
            release(claimed); // a new devbox now holds its axons through its supervisor in live
            if (!created[0]) {
                places.decrementAndGet(); // refused, failed or a repeat: no new devbox holds the place
            }
        }
    }

    /**
     * Claims the axons for a create until its supervisor is in {@link #live}, refusing an axon that a devbox which has
     * not failed or shut down mounts (its broker relays the axon: a second one would fail and report on the first
     * one's axon) or that a concurrent create claimed. A retry of the create that made the holder passes: the store
     * answers it.
     *
     * @return the axons claimed, to {@link #release}
     * @throws MyelinException 409 naming {@code mounts[i].axon_id}
     */
    private List<String> claim(List<String> axons, RequestKey key) {
        if (axons.isEmpty()) {
            return List.of();
        }
        String mine = key == null ? "" : key.value();
        long deadline = System.nanoTime() + RETRY_WAIT.toNanos();
        synchronized (claiming) {
            for (int i = 0; i < axons.size(); i++) {
                String axon = axons.get(i);
                String claimer = claiming.get(axon);
                if (claimer != null && !mine.isEmpty() && claimer.equals(mine)) {
                    // A retry racing its original: wait for it, then the store answers the retry (or, if the
                    // original created nothing, the retry creates it).
                    awaitRelease(deadline, key);
                    i = -1;
                    continue;
                }
                String holder = claimer != null ? "another devbox being created" : holderOf(axon, key);
                if (holder != null) {
                    throw new MyelinException(ErrorKind.CONFLICT, "mounts[" + i + "].axon_id", "mounts[" + i
                            + "].axon_id: axon " + axon + " already has a broker on this server (mounted by " + holder
                            + "); one broker relays an axon: shut that devbox down first, or mount another axon")
                            .retry(false, null);
                }
            }
            axons.forEach(a -> claiming.put(a, mine));
            return axons;
        }
    }

    /** Waits on {@link #claiming} for a release; 409 "still running, retry" past {@code deadline}. Holds its lock. */
    private void awaitRelease(long deadline, RequestKey key) {
        long left = deadline - System.nanoTime();
        if (left <= 0) {
            throw key.stillRunning();
        }
        try {
            TimeUnit.NANOSECONDS.timedWait(claiming, left);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new MyelinException(ErrorKind.UNAVAILABLE, null, "interrupted while waiting for the original request")
                    .retry(true, Duration.ofSeconds(1)).nothingApplied();
        }
    }

    private void release(List<String> axons) {
        if (!axons.isEmpty()) {
            synchronized (claiming) {
                axons.forEach(claiming::remove);
                claiming.notifyAll();
            }
        }
    }

    /** The devbox whose broker relays {@code axon}, as a message names it; null when none (or a retry made it). */
    private String holderOf(String axon, RequestKey key) {
        for (DevboxSupervisor s : live.values()) {
            Devbox d = s.record();
            if (d.status() == DevboxStatus.FAILURE || d.status() == DevboxStatus.SHUTDOWN
                    || !d.spec().mountedAxons().contains(axon)) {
                continue;
            }
            if (key != null && key.value().equals(createKeys.get(d.id()))) {
                return null;
            }
            return "devbox " + d.id();
        }
        return null;
    }

    /** The devbox, or 404; 403 when the caller may not read it. */
    public Devbox get(Caller caller, String id) {
        Devbox d = find(id);
        policy.checkDevbox(caller, Action.DEVBOX_READ, id, d.spec().mountedAxons());
        return d;
    }

    /**
     * A page of the devboxes {@code caller} may read ({@link AccessPolicy#devboxesVisible}), in creation order; one
     * that would pass {@code limits.max-page-bytes} once encoded ends early with has_more.
     *
     * @throws MyelinException 400 naming {@code limit} or {@code starting_after}; 503 when the server's budget for
     *                         answers held in memory is spent
     */
    public DevboxPage list(Caller caller, DevboxFilter filter, MemoryBudget.Lease memory) {
        if (filter.limit() < 1 || filter.limit() > limits.maxListLimit()) {
            throw MyelinException.invalid("limit", "limit must be between 1 and " + limits.maxListLimit() + ", got "
                    + filter.limit());
        }
        return store.list(filter, policy.devboxesVisible(caller), limits.maxPageBytes(), memory);
    }

    /** See {@link DevboxSupervisor#suspend}; {@code api_suspend}, agents frozen. 409 unless running. */
    public Devbox suspend(Caller caller, String id) {
        return control(caller, id, "suspend").suspend("api_suspend", false);
    }

    /** See {@link DevboxSupervisor#resume}. 409 unless suspended (or on the way there). */
    public Devbox resume(Caller caller, String id) {
        return control(caller, id, "resume").resume("resume");
    }

    /** Resets the idle clock. 409 for a failed or shut-down devbox. */
    public Devbox keepAlive(Caller caller, String id) {
        return control(caller, id, "keep alive").keepAlive();
    }

    /**
     * Shuts the devbox down for good ({@code api_shutdown}); answers once nothing of it runs. A repeat answers the
     * shut-down devbox.
     */
    public Devbox shutdown(Caller caller, String id) {
        DevboxSupervisor s = live.get(id);
        if (s == null) {
            // shut down already: the same answer again, to a caller that may control it
            Devbox d = find(id);
            policy.checkDevbox(caller, Action.DEVBOX_CONTROL, id, d.spec().mountedAxons());
            return d;
        }
        policy.checkDevbox(caller, Action.DEVBOX_CONTROL, id, s.record().spec().mountedAxons());
        Devbox d = s.shutdown("api_shutdown");
        forget(s);
        return d;
    }

    /**
     * Waits at most {@code timeout} for the devbox to be in one of {@code statuses}. A devbox that failed or shut
     * down answers at once: its status cannot change by itself any more.
     *
     * @throws MyelinException 408 (retry: the SDKs ask again) when the time ran out first
     */
    public Devbox awaitStatus(Caller caller, String id, Set<DevboxStatus> statuses, Duration timeout) {
        Devbox d = get(caller, id);
        DevboxSupervisor s = live.get(id);
        if (s == null) {
            return d;
        }
        try {
            Devbox reached = s.await(statuses, timeout);
            if (reached == null) {
                throw new MyelinException(ErrorKind.REQUEST_TIMEOUT, null, "devbox " + id + " is still "
                        + s.record().status().wireName() + " after " + timeout.toMillis() + " ms; ask again")
                        .retry(true, null);
            }
            return reached;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new MyelinException(ErrorKind.UNAVAILABLE, null, "interrupted while waiting for devbox " + id);
        }
    }

    /** The devbox once it left provisioning and initializing, or as it is after {@code timeout}. */
    public Devbox awaitStarted(Caller caller, String id, Duration timeout) {
        try {
            return awaitStatus(caller, id, STARTED, timeout);
        } catch (MyelinException e) {
            if (e.kind() == ErrorKind.REQUEST_TIMEOUT) {
                return get(caller, id);
            }
            throw e;
        }
    }

    /** The largest {@code limit} of a {@link #list} page ({@code limits.max-list-limit}). */
    public int maxListLimit() {
        return limits.maxListLimit();
    }

    /** Devboxes supervised now (not shut down), a gauge. */
    public int active() {
        return live.size();
    }

    /**
     * Stops the timer and every devbox's processes (commands killed, brokers closed), leaving their records as they
     * are: the next start supervises them again.
     */
    @Override
    public void close() {
        closed = true;
        timer.shutdownNow();
        // Each close waits (bounded) for its devbox's agents to stop: all at once, not one after another.
        try (var closing = java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor()) {
            live.values().forEach(s -> closing.submit(s::close));
        }
    }

    private DevboxSupervisor control(Caller caller, String id, String what) {
        DevboxSupervisor s = live.get(id);
        if (s == null) {
            Devbox d = find(id);
            policy.checkDevbox(caller, Action.DEVBOX_CONTROL, id, d.spec().mountedAxons());
            throw new MyelinException(ErrorKind.CONFLICT, null, "devbox " + id + " is " + d.status().wireName()
                    + "; " + what + " needs a devbox that is not shut down").retry(false, null);
        }
        policy.checkDevbox(caller, Action.DEVBOX_CONTROL, id, s.record().spec().mountedAxons());
        return s;
    }

    private Devbox find(String id) {
        DevboxSupervisor s = live.get(id);
        Devbox d = s != null ? s.record() : DevboxIds.wellFormed(id) ? store.get(id) : null;
        if (d == null) {
            throw MyelinException.notFound("devbox", id);
        }
        return d;
    }

    private void forget(DevboxSupervisor s) {
        if (live.remove(s.id(), s)) {
            createKeys.remove(s.id());
            places.decrementAndGet();
        }
    }

    /** The timer's round: every devbox looked at; one that fails to be looked at is logged, the rest go on. */
    private void checkIdle() {
        long now = ctx.clock().millis();
        for (DevboxSupervisor s : live.values()) {
            try {
                s.checkIdle(now);
                if (s.record().status() == DevboxStatus.SHUTDOWN) {
                    forget(s); // shut down by its keep-alive timeout
                }
            } catch (RuntimeException e) {
                log.warn("devbox {}: idle check failed: {}", s.id(), e.toString());
            }
        }
    }
}
