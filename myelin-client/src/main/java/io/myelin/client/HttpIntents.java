package io.myelin.client;

import java.time.Duration;
import java.util.Objects;

/** {@link Intents} over HTTP. Stateless apart from the shared transport, hence thread-safe. */
final class HttpIntents implements Intents {
    /** The longest {@code wait_ms} the server accepts for one long poll. */
    static final long MAX_WAIT_MS = 60_000;

    private final Transport transport;
    private final Duration requestTimeout;

    HttpIntents(Transport transport, Duration requestTimeout) {
        this.transport = transport;
        this.requestTimeout = requestTimeout;
    }

    @Override
    public Intent create(String axonId, NewIntent intent, String idempotencyKey) {
        Objects.requireNonNull(intent, "intent");
        return transport.write("POST", HttpAxons.path(axonId) + "/intents", intent, idempotencyKey, Intent.class);
    }

    @Override
    public Intent get(String intentId) {
        return transport.get(path(intentId), new Query(), Intent.class);
    }

    @Override
    public Paged<Intent> list(IntentFilter filter) {
        Objects.requireNonNull(filter, "filter");
        return new CursorPager<Intent, String>(cursor -> {
            Query q = new Query()
                    .add("limit", filter.pageSize())
                    .add("starting_after", cursor)
                    .add("axon_id", filter.axonId())
                    .add("status", filter.status() == null ? null : filter.status().wireName())
                    .add("waiting_for", filter.waitingFor() == null ? null : filter.waitingFor().wireName())
                    .add("assignee", filter.assignee())
                    .add("kind", filter.kind());
            WireTypes.IntentList page = transport.get("/v1/intents", q, WireTypes.IntentList.class);
            return new CursorPager.Page<>(page.intents(), page.hasMore());
        }, Intent::id);
    }

    @Override
    public Intent resolve(String intentId, IntentOutcome outcome, Object result, String comment) {
        if (outcome == null || !outcome.resolvable()) {
            throw new IllegalArgumentException("outcome must be APPROVED, REJECTED, COMPLETED or FAILED, got " + outcome);
        }
        WireTypes.ResolveIntent body = new WireTypes.ResolveIntent(outcome,
                result == null ? null : Json.MAPPER.valueToTree(result), comment);
        return transport.write("POST", path(intentId) + "/resolve", body, null, Intent.class);
    }

    @Override
    public Intent cancel(String intentId, String reason) {
        return transport.write("POST", path(intentId) + "/cancel", new WireTypes.CancelIntent(reason), null, Intent.class);
    }

    @Override
    public Intent await(String intentId, Duration timeout) {
        String path = path(intentId);
        if (timeout == null || timeout.isNegative()) {
            throw new IllegalArgumentException("timeout must be zero or positive, got " + timeout);
        }
        long deadline = System.nanoTime() + timeout.toNanos();
        Intent last = null;
        Backoff backoff = null;
        for (int attempt = 1; ; attempt++) {
            // Each poll asks the server to hold it no longer than what is left, so the last one ends at the deadline.
            long waitMs = Math.min(MAX_WAIT_MS, Math.max(0, (deadline - System.nanoTime()) / 1_000_000));
            long started = System.nanoTime();
            Transport.Attempt<Intent> polled = transport.attempt(path, new Query().add("wait_ms", waitMs), Intent.class,
                    Duration.ofMillis(waitMs).plus(requestTimeout), attempt);
            MyelinException failure = polled.failure();
            if (failure == null) {
                last = polled.value();
                if (!last.waiting()) {
                    return last;
                }
                if ((System.nanoTime() - started) / 1_000_000 < waitMs / 2) {
                    // A server that does not hold long polls would otherwise be asked again in a tight loop.
                    failure = new MyelinConnectionException("GET " + path + " answered 'waiting' before its wait_ms of "
                            + waitMs + " ms", null);
                } else {
                    backoff = null;
                    attempt = 0;
                }
            }
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                throw new IntentTimeoutException(intentId, timeout, last, failure);
            }
            if (failure != null) {
                if (backoff == null) {
                    backoff = transport.newBackoff();
                }
                Duration delay = transport.retryDelay(polled.advice(), backoff);
                if (delay.toNanos() > left) {
                    delay = Duration.ofNanos(left); // wake at the deadline for one last look
                }
                transport.beforeRetry(new RetryAttempt("GET", path, attempt, delay, failure));
            }
        }
    }

    static String path(String intentId) {
        Objects.requireNonNull(intentId, "intentId");
        if (intentId.isBlank()) {
            throw new IllegalArgumentException("intentId is required");
        }
        return "/v1/intents/" + Query.segment(intentId);
    }
}
