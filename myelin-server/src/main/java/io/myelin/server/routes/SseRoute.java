package io.myelin.server.routes;

import io.myelin.auth.Action;
import io.myelin.auth.ApiKeys;
import io.myelin.concurrent.MemoryBudget;
import io.myelin.error.ErrorKind;
import io.myelin.error.MyelinException;
import io.myelin.server.http.Exchange;
import io.myelin.server.http.Router;
import io.myelin.stream.Event;
import io.myelin.stream.EventLog;
import io.myelin.stream.Subscription;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.http.HttpHeader;

/**
 * {@code GET /v1/axons/{id}/subscribe/sse}: replay after a sequence, then live, as server-sent events.
 *
 * <p>The stream starts after {@code after_sequence} (or {@code Last-Event-ID}, whichever is later; from the start
 * when neither is given). Comments keep idle connections alive every heartbeat. When nothing has been delivered
 * for the idle timeout the stream ends with {@code event: error} / {@code {"code":408}}, which the Runloop SDK
 * answers by reconnecting with {@code after_sequence} set to the last sequence it saw. A deleted axon ends its
 * streams with code 404.
 *
 * <p><b>Memory.</b> A stream holds one page of events at a time and encodes it in bounded chunks
 * ({@link SseWriter}); the page and the writer's buffer are counted in the server's answer budget
 * ({@code limits.response-memory}) until they are written. A new stream whose first page does not fit is refused
 * with 503 and {@code Retry-After}; a running stream whose next page does not fit waits for room (sending its
 * heartbeats, ending with the usual 408 after the idle timeout), so streams stalled by clients that stop reading
 * hold at most the budget in all, and the server keeps serving everyone else.
 *
 * <p><b>Its key.</b> A stream lasts only as long as the key that opened it works: revoking the key wakes the stream
 * at once ({@link ApiKeys#onRevoked}), an expired key is noticed at the next event or heartbeat, and the stream ends
 * with {@code event: error} / {@code {"code":401}}, which the Runloop SDK does not answer by reconnecting.
 */
public final class SseRoute {
    private final EventLog log;
    private final ApiKeys keys;
    private final MemoryBudget answers;
    private final long idleMillis;
    private final long heartbeatMillis;

    /** @param keys tells a stream when its key stops working, which ends it */
    public SseRoute(EventLog log, ApiKeys keys, MemoryBudget answers, Duration idleTimeout, Duration heartbeat) {
        this.log = log;
        this.keys = keys;
        this.answers = answers;
        this.idleMillis = idleTimeout.toMillis();
        this.heartbeatMillis = heartbeat.toMillis();
    }

    public void register(Router r) {
        r.route("GET", "/v1/axons/{id}/subscribe/sse", Action.EVENT_SUBSCRIBE, this::subscribe);
    }

    private void subscribe(Exchange ex) throws Exception {
        long after = startAfter(ex);
        String keyId = ex.caller().keyId();
        Subscription sub = log.subscribe(ex.caller(), ex.path("id"), after);
        MemoryBudget.Lease first = answers.lease();
        AutoCloseable watch = keys.onRevoked(keyId, sub::close);
        try {
            // The first page is read before the answer starts: a stream the server has no memory for is a 503.
            List<Event> events = sub.next(0, first, SseWriter.HELD_BYTES);
            if (events.isEmpty() && sub.wantedBytes() > 0) {
                throw first.refusal(sub.wantedBytes());
            }
            var response = ex.response();
            response.setStatus(200);
            response.getHeaders().put(HttpHeader.CONTENT_TYPE, "text/event-stream");
            response.getHeaders().put(HttpHeader.CACHE_CONTROL, "no-cache");
            response.getHeaders().put("X-Accel-Buffering", "no");
            SseWriter out = new SseWriter(response);
            if (ex.request().getMethod().equals("HEAD")) {
                // The stream's header fields say all a HEAD asks; there is no content to wait for.
                out.end(ex.callback());
                return;
            }
            out.comment("streaming " + sub.axonId() + " after " + after);
            if (!events.isEmpty()) {
                out.events(events);
            }
            first.close();
            stream(sub, out, keyId);
            out.end(ex.callback());
        } catch (IOException clientGone) {
            ex.callback().failed(clientGone);
        } finally {
            watch.close();
            first.close();
            sub.close();
        }
    }

    private void stream(Subscription sub, SseWriter out, String keyId) throws IOException, InterruptedException {
        long lastDelivery = System.currentTimeMillis();
        long lastWrite = lastDelivery;
        while (true) {
            // Also checked before the first wait: the key may have been revoked before the stream began watching it.
            if (!keys.works(keyId)) {
                out.error(401, "API key " + keyId + " was revoked or has expired");
                return;
            }
            long now = System.currentTimeMillis();
            long wait = Math.max(1, Math.min(lastDelivery + idleMillis, lastWrite + heartbeatMillis) - now);
            try (MemoryBudget.Lease held = answers.lease()) {
                List<Event> events;
                try {
                    events = sub.next(wait, held, SseWriter.HELD_BYTES);
                } catch (MyelinException e) {
                    if (e.kind() == ErrorKind.NOT_FOUND) {
                        out.error(404, "axon " + sub.axonId() + " was deleted");
                        return;
                    }
                    throw e;
                }
                if (events.isEmpty() && sub.wantedBytes() > 0) {
                    // Slow readers hold the budget: wait for them to read or time out, holding nothing meanwhile.
                    answers.awaitRoom(sub.wantedBytes(), TimeUnit.MILLISECONDS.toNanos(wait));
                }
                now = System.currentTimeMillis();
                if (!keys.works(keyId)) {
                    continue; // a revocation closed the subscription: the loop's first check ends the stream
                }
                if (!events.isEmpty()) {
                    out.events(events);
                    lastDelivery = lastWrite = now;
                } else if (sub.state() == Subscription.State.CLOSED) {
                    return;
                } else if (now - lastDelivery >= idleMillis) {
                    out.error(408, "no events for " + idleMillis + " ms; reconnect with after_sequence=" + sub.cursor());
                    return;
                } else if (now - lastWrite >= heartbeatMillis) {
                    out.comment("ping");
                    lastWrite = now;
                }
            }
        }
    }

    private static long startAfter(Exchange ex) {
        Long after = ex.longQuery("after_sequence");
        String lastEventId = ex.header("Last-Event-ID");
        long fromHeader = lastEventId == null || lastEventId.isBlank() ? 0 : Exchange.parseSequence("Last-Event-ID", lastEventId);
        return Math.max(after == null ? 0 : after, fromHeader);
    }
}
