package io.myelin.broker;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.myelin.auth.Caller;
import io.myelin.axon.AxonIndex;
import io.myelin.axon.LiveAxon;
import io.myelin.error.MyelinException;
import io.myelin.idempotency.RequestKey;
import io.myelin.storage.QueuedWrite;
import io.myelin.text.Utf8;
import java.util.Objects;

/**
 * The engine's side of {@link BrokerState}: checks a state before it reaches the {@link BrokerStateStore}, for the
 * brokers running inside the server and for those that save through {@code PUT /v1/axons/{id}/broker}.
 *
 * <p>Threading: thread-safe; calls block until durable.
 */
public final class BrokerStates {
    /** Largest {@link BrokerState#context()}, in UTF-8 bytes. */
    public static final int MAX_CONTEXT_BYTES = 256 * 1024;
    /** Longest session id and turn id. */
    public static final int MAX_ID_CHARS = 256;

    private static final ObjectMapper JSON = new ObjectMapper();

    private final BrokerStateStore store;
    private final AxonIndex axons;

    public BrokerStates(BrokerStateStore store, AxonIndex axons) {
        this.store = store;
        this.axons = axons;
    }

    /**
     * The axon's broker state ({@link BrokerState#INITIAL} when none was saved).
     *
     * @throws MyelinException 404 when the axon does not exist
     */
    public BrokerState load(Caller caller, String axonId) {
        Objects.requireNonNull(caller, "caller");
        return store.load(axons.require(axonId));
    }

    /**
     * Saves {@code next} over version {@code next.version()}; see {@link BrokerStateStore#save}.
     *
     * @throws MyelinException 400 naming the field for a cursor past the axon's head, a turn cursor past the
     *                         cursor, a context that is not a JSON object or is over {@value #MAX_CONTEXT_BYTES} bytes,
     *                         an id over {@value #MAX_ID_CHARS} characters; 404 no such axon; 409 another save came first
     */
    public BrokerState save(Caller caller, String axonId, BrokerState next, RequestKey key) {
        return saveQueued(caller, axonId, next, key).await();
    }

    /**
     * Like {@link #save}, but returns once the save is queued (checked at once; storage errors from
     * {@link QueuedWrite#await}), so that an event queued next lands after it (see {@link QueuedWrite}).
     */
    public QueuedWrite<BrokerState> saveQueued(Caller caller, String axonId, BrokerState next, RequestKey key) {
        Objects.requireNonNull(caller, "caller");
        LiveAxon axon = axons.require(axonId);
        if (next.cursor() > axon.committedSeq()) {
            throw MyelinException.invalid("cursor", "cursor " + next.cursor() + " is past the axon's last sequence "
                    + axon.committedSeq());
        }
        if (next.turnCursor() > next.cursor()) {
            throw MyelinException.invalid("turn_cursor", "turn_cursor " + next.turnCursor()
                    + " must not be past cursor " + next.cursor());
        }
        if (next.turnTrigger() > next.cursor()) {
            throw MyelinException.invalid("turn_trigger", "turn_trigger " + next.turnTrigger()
                    + " must not be past cursor " + next.cursor());
        }
        checkId(next.turnId(), "turn_id");
        checkId(next.sessionId(), "session_id");
        long bytes = Utf8.checkedLength(next.context(), "context");
        if (bytes > MAX_CONTEXT_BYTES) {
            throw MyelinException.tooLarge("context", "context is " + bytes + " bytes; the limit is " + MAX_CONTEXT_BYTES);
        }
        try {
            JsonNode parsed = JSON.readTree(next.context());
            if (parsed == null || !parsed.isObject()) {
                throw MyelinException.invalid("context", "context must be a JSON object");
            }
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw MyelinException.invalid("context", "context is not JSON: " + e.getOriginalMessage());
        }
        return store.saveQueued(axon, next, RequestKey.sentBy(caller, key));
    }

    private static void checkId(String value, String field) {
        if (value == null) {
            return;
        }
        if (value.isEmpty() || value.length() > MAX_ID_CHARS) {
            throw MyelinException.invalid(field, field + " must be 1.." + MAX_ID_CHARS + " characters, got " + value.length());
        }
        Utf8.checkedLength(value, field);
    }
}
