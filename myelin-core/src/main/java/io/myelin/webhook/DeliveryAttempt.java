package io.myelin.webhook;

import com.standardwebhooks.exceptions.WebhookSigningException;
import io.myelin.error.MyelinException;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * One attempt of one delivery, as the Standard Webhooks specification describes it: a POST of the
 * {@link DeliveryBody} with {@code webhook-id} (the delivery id, the same on every attempt), {@code webhook-timestamp}
 * (unix seconds of this attempt) and {@code webhook-signature} ({@code v1,} + base64 HMAC-SHA256 of
 * {@code id.timestamp.body} under the webhook's secret, computed by the specification's Java library).
 *
 * <p>A 2xx answer delivers it; anything else fails the attempt: another status (redirects are not followed, so a 3xx
 * too), no status line within {@code webhooks.attempt-timeout} (resolving the target included), a connection failure,
 * a target that now resolves to a refused address ({@link TargetGuard}). The answer's body is never read. A failed
 * attempt is followed by the next one of the schedule, with ±10% jitter, or leaves the delivery dead after the last;
 * a delivery whose event no longer exists (its axon was deleted) is dead at once.
 *
 * <p>Thread-safe: attempts run concurrently on their own virtual threads, sharing one HTTP client.
 */
final class DeliveryAttempt implements AutoCloseable {
    private static final int MAX_ERROR_CHARS = 500;

    private final WebhookOptions options;
    private final TargetGuard guard;
    private volatile HttpClient http;

    DeliveryAttempt(WebhookOptions options, TargetGuard guard) {
        this.options = options;
        this.guard = guard;
        this.http = client(options);
    }

    private static HttpClient client(WebhookOptions options) {
        return HttpClient.newBuilder()
                .followRedirects(HttpClient.Redirect.NEVER)
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(options.attemptTimeout())
                .build();
    }

    /**
     * Replaces the HTTP client after a protocol error. The JDK's client leaves the connection of an answer it refused
     * (a header section over its limit) open and unread, one file descriptor per attempt; a receiver answering so on
     * every attempt would exhaust them. The old client finishes its other attempts, then closes with its connections.
     */
    private synchronized void renew() {
        HttpClient old = http;
        http = client(options);
        old.shutdown();
    }

    /** Makes the attempt and says what it changed; never throws for what the target did. */
    AttemptOutcome run(DueDelivery due, long nowMs) {
        Delivery d = due.delivery();
        int count = d.attempts() + 1;
        if (due.event() == null) {
            return new AttemptOutcome(d.id(), DeliveryStatus.DEAD, count, null, nowMs, null,
                    "the event no longer exists: its axon was deleted");
        }
        Integer status = null;
        String error;
        try {
            status = send(due, nowMs);
            error = status / 100 == 2 ? null : "the target answered HTTP " + status;
        } catch (MyelinException e) {
            error = "refused target: " + e.getMessage();
        } catch (TimeoutException e) {
            error = "no answer within " + options.attemptTimeout().toMillis() + " ms (webhooks.attempt-timeout)";
        } catch (ExecutionException e) {
            error = describe(e.getCause());
            if (e.getCause() instanceof java.net.ProtocolException) {
                renew();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            error = "interrupted: the server is stopping";
        }
        if (error == null) {
            return new AttemptOutcome(d.id(), DeliveryStatus.DELIVERED, count, null, nowMs, status, null);
        }
        if (count >= options.retrySchedule().size()) {
            return new AttemptOutcome(d.id(), DeliveryStatus.DEAD, count, null, nowMs, status, truncate(error));
        }
        return new AttemptOutcome(d.id(), DeliveryStatus.PENDING, count, nowMs + jittered(options.retrySchedule()
                .get(count)), nowMs, status, truncate(error));
    }

    private int send(DueDelivery due, long nowMs) throws TimeoutException, ExecutionException, InterruptedException {
        long deadline = System.nanoTime() + options.attemptTimeout().toNanos();
        URI target = URI.create(due.url());
        guard.checkTarget(target);
        byte[] body = DeliveryBody.render(due.event());
        long timestamp = nowMs / 1000;
        String signature;
        try {
            signature = new com.standardwebhooks.Webhook(due.secret())
                    .sign(due.delivery().id(), timestamp, new String(body, StandardCharsets.UTF_8));
        } catch (WebhookSigningException | com.standardwebhooks.exceptions.EmptyWebhookSecretException e) {
            throw new IllegalStateException("cannot sign with the stored secret of delivery " + due.delivery().id(), e);
        }
        long left = Math.max(1, deadline - System.nanoTime());
        HttpRequest request = HttpRequest.newBuilder(target)
                .timeout(Duration.ofNanos(left))
                .header("content-type", "application/json")
                .header("user-agent", "Myelin-Webhooks")
                .header("webhook-id", due.delivery().id())
                .header("webhook-timestamp", Long.toString(timestamp))
                .header("webhook-signature", signature)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body))
                .build();
        CompletableFuture<HttpResponse<InputStream>> answer = http.sendAsync(request,
                HttpResponse.BodyHandlers.ofInputStream());
        try {
            HttpResponse<InputStream> response = answer.get(left, TimeUnit.NANOSECONDS);
            try (InputStream ignored = response.body()) {
                return response.statusCode(); // closing unread drops the body: a receiver cannot hold us reading
            } catch (IOException closing) {
                return response.statusCode();
            }
        } catch (TimeoutException | InterruptedException e) {
            answer.cancel(true);
            throw e;
        }
    }

    private long jittered(Duration delay) {
        return Math.round(delay.toMillis() * ThreadLocalRandom.current().nextDouble(0.9, 1.1));
    }

    private static String describe(Throwable t) {
        if (t instanceof java.net.http.HttpTimeoutException) {
            return "no answer within the attempt timeout (webhooks.attempt-timeout)";
        }
        if (t instanceof java.net.ConnectException) {
            return "cannot connect: " + (t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage());
        }
        return t.getClass().getSimpleName() + (t.getMessage() == null ? "" : ": " + t.getMessage());
    }

    private static String truncate(String s) {
        return s.length() <= MAX_ERROR_CHARS ? s : s.substring(0, MAX_ERROR_CHARS);
    }

    @Override
    public void close() {
        http.shutdownNow();
    }
}
