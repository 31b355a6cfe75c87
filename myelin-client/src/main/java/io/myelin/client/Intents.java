package io.myelin.client;

import java.time.Duration;

/**
 * Intents: durable waits on a person, a tool, an agent or a point in time, each on one axon. Obtain it from
 * {@link MyelinClient#intents()}.
 *
 * <pre>{@code
 * // the agent's side: ask, then wait (across disconnects and server restarts) for the answer
 * Intent asked = client.intents().create(axonId, NewIntent.builder("refund.approval", WaitingFor.HUMAN)
 *         .title("Refund order 1234?").assignee("alice").deadlineIn(Duration.ofDays(1)).build(), "refund-1234");
 * Intent done = client.intents().await(asked.id(), Duration.ofMinutes(30));
 * boolean approved = done.resolution().outcome() == IntentOutcome.APPROVED;
 *
 * // the person's side: the inbox, and an answer
 * for (Intent i : client.intents().inbox(IntentFilter.all().assignee("alice"))) {
 *     client.intents().approve(i.id(), "fine by me");
 * }
 * }</pre>
 *
 * <p>Errors: {@link NotFoundException} (404) for an intent or axon that does not exist or that the key may not see;
 * {@link MyelinApiException} with {@code field()} (400) for a field out of its limits;
 * {@link IntentConflictException} (409) when a resolve or cancel finds the intent no longer waiting. Retries follow
 * {@link MyelinClient}; every write carries an idempotency key.
 *
 * <p>Threading: safe for concurrent use by any number of threads; {@link #await} blocks its thread.
 */
public interface Intents {
    /**
     * Creates an intent on an axon, waiting. Appends {@code intent.created} to the axon's stream.
     *
     * @throws NotFoundException  404: no such axon
     * @throws MyelinApiException 400 naming the field at fault
     */
    default Intent create(String axonId, NewIntent intent) {
        return create(axonId, intent, null);
    }

    /**
     * {@link #create(String, NewIntent)} at most once per {@code idempotencyKey} on the axon: a repeat, from any
     * process, returns the original intent in its current state instead of creating another.
     *
     * @param idempotencyKey 1..256 visible ASCII characters, or {@code null} for one generated for this call
     */
    Intent create(String axonId, NewIntent intent, String idempotencyKey);

    /** Reads one intent now; {@link NotFoundException} when there is none the key may see. */
    Intent get(String intentId);

    /**
     * The intents matching {@code filter}, oldest first, fetched page by page (following {@code starting_after}) as
     * the result is iterated.
     */
    Paged<Intent> list(IntentFilter filter);

    /**
     * An inbox: the intents waiting for a person that match {@code filter} (its status and waiting-for are replaced
     * by {@code waiting} and {@code human}; narrow it by assignee, axon or kind), oldest first, page by page.
     */
    default Paged<Intent> inbox(IntentFilter filter) {
        return list(filter.status(IntentStatus.WAITING).waitingFor(WaitingFor.HUMAN));
    }

    /** Every intent waiting for a person, oldest first. */
    default Paged<Intent> inbox() {
        return inbox(IntentFilter.all());
    }

    /**
     * Resolves a waiting intent, exactly once: of any number of concurrent resolvers one wins, the others get
     * {@link IntentConflictException}. Appends {@code intent.resolved} to the axon's stream.
     *
     * @param outcome one of {@link IntentOutcome#resolvable()}: approved, rejected, completed, failed
     * @param result  any value the client's mapper turns into JSON, or {@code null}
     * @param comment a comment for the record, or {@code null}
     * @return the intent, resolved
     * @throws IllegalArgumentException for an outcome a caller cannot resolve with
     * @throws IntentConflictException  409: it is no longer waiting ({@code intent()} says how it ended)
     */
    Intent resolve(String intentId, IntentOutcome outcome, Object result, String comment);

    /** {@link #resolve} with {@link IntentOutcome#APPROVED} and no result. */
    default Intent approve(String intentId, String comment) {
        return resolve(intentId, IntentOutcome.APPROVED, null, comment);
    }

    /** {@link #resolve} with {@link IntentOutcome#REJECTED} and no result. */
    default Intent reject(String intentId, String comment) {
        return resolve(intentId, IntentOutcome.REJECTED, null, comment);
    }

    /** {@link #resolve} with {@link IntentOutcome#COMPLETED}: a tool's or agent's answer. */
    default Intent complete(String intentId, Object result) {
        return resolve(intentId, IntentOutcome.COMPLETED, result, null);
    }

    /**
     * Cancels a waiting intent (outcome {@code cancelled}, {@code reason} as the comment). Appends
     * {@code intent.cancelled} to the axon's stream.
     *
     * @param reason why, or {@code null}
     * @throws IntentConflictException 409: it is no longer waiting
     */
    Intent cancel(String intentId, String reason);

    /**
     * Waits until the intent is no longer waiting, at most {@code timeout}, and returns it with its
     * {@link Intent#resolution()}. Long-polls the server ({@code GET /v1/intents/{id}?wait_ms=}, at most 60 s each),
     * asking again after each poll. A lost connection, a server that is restarting or down, and answers worth
     * retrying (408, 429, 5xx) do not end the wait: the client backs off ({@link MyelinClient.Builder#retryBackoff},
     * telling the {@link MyelinClient.Builder#retryListener}) and asks again until {@code timeout}. The client's
     * retry count and {@code callTimeout} do not apply; {@code timeout} bounds the whole wait (each poll may take up
     * to the request timeout longer when the server is slow to answer).
     *
     * @param timeout how long to wait in all; zero reads it once
     * @return the intent once its status is final (it may be expired or cancelled: check {@code status()})
     * @throws IntentTimeoutException   the timeout passed while it was still waiting (or while the server could not
     *                                  be asked); carries its last known state
     * @throws NotFoundException        404: no such intent
     * @throws MyelinApiException       an answer retrying cannot change (401, 403, 400)
     * @throws MyelinConnectionException the client was closed or the thread interrupted meanwhile
     */
    Intent await(String intentId, Duration timeout);
}
