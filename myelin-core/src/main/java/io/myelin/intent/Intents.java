package io.myelin.intent;

import com.fasterxml.jackson.databind.JsonNode;
import io.myelin.auth.AccessPolicy;
import io.myelin.auth.Action;
import io.myelin.auth.Caller;
import io.myelin.axon.AxonIds;
import io.myelin.axon.AxonIndex;
import io.myelin.axon.LiveAxon;
import io.myelin.concurrent.MemoryBudget;
import io.myelin.error.ErrorKind;
import io.myelin.error.MyelinException;
import io.myelin.idempotency.RequestKey;
import io.myelin.stream.EventLog;
import java.time.Duration;
import java.time.InstantSource;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Durable intents: records of what an axon's work waits on — a person, a tool, another agent, a time — that survive
 * restarts and resolve exactly once. The pattern is submit → wait → complete: {@link #create} stores a waiting intent,
 * anyone allowed resolves or cancels it ({@link #resolve}, {@link #cancel}) or its timers do ({@link IntentTimers}),
 * and waiters learn of it on the axon's stream ({@code intent.*} events), by polling or long-polling ({@link #await}),
 * or by webhook.
 *
 * <p><b>Exactly once.</b> Every change runs on the intent's row as it is inside the storage write
 * ({@link IntentStore#change}), checked by {@link IntentRules} against {@link IntentLifecycle}: of many concurrent
 * resolvers one wins and the rest get 409 with the intent as the winner left it. The change and its event commit
 * together, so the stream and the state never disagree.
 *
 * <p><b>Access.</b> Creating needs {@link Action#INTENT_CREATE} on the axon (checked by the HTTP layer). Reading and
 * resolving name the intent, not the axon: they are checked here, on its axon, once the intent is found; a caller who
 * may not read it gets the same 404 as for an intent that does not exist. A listing shows the intents on axons the
 * caller may read.
 *
 * <p>Thread-safe. Calls block until durable; {@link #await} parks its (virtual) thread.
 */
public final class Intents implements AutoCloseable {
    private static final String PREFIX = "int_";

    private final IntentStore store;
    private final AxonIndex axons;
    private final AccessPolicy policy;
    private final IntentLimits limits;
    private final IntentChecks checks;
    private final InstantSource clock;
    private final IntentWaiters waiters;
    private final IntentTimers timers;

    /** Starts the timer thread; {@link #close} stops it. */
    public Intents(IntentStore store, AxonIndex axons, EventLog events, AccessPolicy policy, IntentLimits limits,
                   InstantSource clock) {
        this.store = store;
        this.axons = axons;
        this.policy = policy;
        this.limits = limits;
        this.checks = new IntentChecks(limits, events.limits().maxPayloadBytes());
        this.clock = clock;
        this.waiters = new IntentWaiters(limits.maxWaiters());
        events.onCommitted((axon, committed) -> waiters.committed(committed));
        this.timers = new IntentTimers(store, axons, clock);
        timers.start();
    }

    public IntentLimits limits() {
        return limits;
    }

    /**
     * Creates a waiting intent on {@code axonId} and appends {@code intent.created}. With a {@code key} already used
     * on the axon for the same request, returns the original intent (as it is now) and creates nothing.
     *
     * @throws MyelinException 400/413 naming the field at fault; 404 unknown axon; 422 key reused for another request
     */
    public Intent create(Caller caller, String axonId, IntentRequest request, RequestKey key) {
        LiveAxon axon = axons.require(axonId);
        long now = clock.millis();
        request = request.absolute(now, limits.maxHorizon().toMillis());
        checks.create(request, now);
        Long remindAt = request.remindEveryMs() == null ? null : now + request.remindEveryMs();
        Intent draft = new Intent(AxonIds.next(PREFIX), axonId, request.kind(), request.waitingFor(),
                IntentStatus.WAITING, request.title(), request.payload(), request.assignee(), request.fireAtMs(),
                request.deadlineMs(), request.remindEveryMs(), remindAt,
                request.onDeadline() == null ? OnDeadline.EXPIRE : request.onDeadline(), request.escalateTo(), 0,
                now, now, null, null);
        checks.fitsInEvent(draft, "payload", null, null);
        Intent stored = store.create(axon, draft, RequestKey.sentBy(caller, key));
        timers.scheduled(stored.dueAtMs());
        return stored;
    }

    /** The intent {@code id}. @throws MyelinException 404 when unknown, or not readable by {@code caller} */
    public Intent get(Caller caller, String id) {
        return readable(caller, id, Action.INTENT_READ);
    }

    /**
     * The intent {@code id} as soon as it is no longer waiting, or as it is after {@code wait} (which may be zero).
     * Parks the calling thread; a long poll that finds the intent ended answers at once.
     *
     * @throws MyelinException 400 {@code wait_ms} beyond {@code intents.max-wait}; 404 as {@link #get}; 503 when
     *                         {@code intents.max-waiters} long polls are parked already
     */
    public Intent await(Caller caller, String id, Duration wait) {
        if (wait.isNegative() || wait.compareTo(limits.maxWait()) > 0) {
            throw MyelinException.invalid("wait_ms", "wait_ms must be between 0 and " + limits.maxWait().toMillis()
                    + " (intents.max-wait); got " + wait.toMillis());
        }
        Intent current = get(caller, id);
        if (!current.waiting() || wait.isZero()) {
            return current;
        }
        try (IntentWaiters.Registration parked = waiters.register(id)) {
            current = get(caller, id); // after registering: an end committed since the first read still wakes us
            if (current.waiting()) {
                try {
                    parked.ended().get(wait.toNanos(), TimeUnit.NANOSECONDS);
                } catch (TimeoutException stillWaiting) {
                    // answered below with the current state
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new MyelinException(ErrorKind.UNAVAILABLE, null, "interrupted while waiting on " + id);
                } catch (ExecutionException e) {
                    throw new IllegalStateException("a waiter's future never fails", e);
                }
                current = get(caller, id);
            }
        }
        return current;
    }

    /** Long polls parked now (a gauge). */
    public int waiting() {
        return waiters.size();
    }

    /**
     * One page of the intents on axons {@code caller} may read, in creation order.
     *
     * @throws MyelinException 400 {@code limit} out of range or {@code starting_after} unknown
     */
    public IntentPage list(Caller caller, IntentFilter filter, MemoryBudget.Lease memory) {
        if (filter.limit() < 1 || filter.limit() > limits.maxListLimit()) {
            throw MyelinException.invalid("limit", "limit must be between 1 and " + limits.maxListLimit()
                    + " (intents.max-list-limit); got " + filter.limit());
        }
        return store.list(filter, policy.intentsVisible(caller), limits.maxPageBytes(), memory);
    }

    /**
     * Resolves a waiting intent with {@code outcome} (one of approved, rejected, completed, failed). With a
     * {@code key} already used on the intent's axon for the same request, returns what that request returned.
     *
     * @throws MyelinException 409 with the intent as it is when it is no longer waiting; 403 when {@code caller}
     *                         may read it but not resolve it; 404 as {@link #get}; 400/413 naming the field (a
     *                         permission intent's result naming no option it offered: {@link PermissionIntent})
     */
    public Intent resolve(Caller caller, String id, Outcome outcome, JsonNode result, String comment,
                          RequestKey key) {
        checks.resolution(result, comment);
        Intent current = resolvable(caller, id);
        JsonNode stored = PermissionIntent.withDefaultOption(current, outcome, result);
        PermissionIntent.checkResolution(current, outcome, stored);
        checks.fitsInEvent(current, "result", stored, comment);
        return changed(current, (row, now) -> IntentRules.resolve(row, outcome, stored, comment, caller, now),
                RequestKey.sentBy(caller, key));
    }

    /**
     * Cancels a waiting intent; {@code reason} becomes the resolution's comment.
     *
     * @throws MyelinException as {@link #resolve}
     */
    public Intent cancel(Caller caller, String id, String reason, RequestKey key) {
        checks.reason(reason);
        Intent current = resolvable(caller, id);
        checks.fitsInEvent(current, "reason", null, reason);
        return changed(current, (row, now) -> IntentRules.cancel(row, reason, caller, now),
                RequestKey.sentBy(caller, key));
    }

    private Intent changed(Intent current, IntentStore.Change change, RequestKey key) {
        LiveAxon axon = axons.find(current.axonId());
        if (axon == null) {
            throw MyelinException.notFound("intent", current.id());
        }
        return store.change(axon, current.id(), change, key).await();
    }

    private Intent resolvable(Caller caller, String id) {
        Intent current = readable(caller, id, Action.INTENT_READ);
        policy.check(caller, Action.INTENT_RESOLVE, current.axonId());
        return current;
    }

    private Intent readable(Caller caller, String id, Action action) {
        Intent found = id == null || !id.startsWith(PREFIX) ? null : store.find(id);
        if (found == null || !policy.allows(caller, action, found.axonId())) {
            throw MyelinException.notFound("intent", id);
        }
        return found;
    }

    /** Stops the timer thread; parked long polls end at their deadlines. */
    @Override
    public void close() {
        timers.close();
    }
}
