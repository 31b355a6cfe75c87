package io.myelin.client;

import java.time.Duration;

/**
 * Devboxes: where the server runs agents on axons (the part of Runloop's devbox API Myelin implements). Obtain it
 * from {@link MyelinClient#devboxes()}.
 *
 * <pre>{@code
 * Devbox d = client.devboxes().create(NewDevbox.builder().mount(BrokerMount.acp(axonId, "opencode", "acp")).build());
 * d = client.devboxes().awaitStatus(d.id(), Duration.ofMinutes(2), DevboxStatus.RUNNING);
 * client.devboxes().suspend(d.id());
 * client.devboxes().shutdown(d.id());
 * }</pre>
 *
 * <p>Suspend, resume and shutdown answer with the devbox as it is once the request was taken (suspend and resume
 * usually answer {@code suspending} and {@code resuming}): wait for the status you need with {@link #awaitStatus}.
 * A repeat of any of them is harmless. Threading: safe for concurrent use by any number of threads.
 */
public interface Devboxes {
    /**
     * Creates a devbox; it starts provisioning at once. The call carries one idempotency key for all its attempts,
     * so a retried create makes one devbox.
     */
    Devbox create(NewDevbox devbox);

    /** {@link #create(NewDevbox)} under the caller's own idempotency key (a retry from another process is safe too). */
    Devbox create(NewDevbox devbox, String idempotencyKey);

    /** Reads one devbox; {@link NotFoundException} when there is none with this id. */
    Devbox get(String devboxId);

    /** Every devbox the key may see, oldest first, fetched page by page as the result is iterated. */
    Paged<Devbox> list();

    /** The devboxes in {@code status}. */
    Paged<Devbox> list(DevboxStatus status);

    /** Freezes its agents; {@link ConflictException} (409) unless it is running. */
    Devbox suspend(String devboxId);

    /** Wakes it; {@link ConflictException} (409) unless it is suspended or suspending. */
    Devbox resume(String devboxId);

    /** Resets its idle clock. */
    Devbox keepAlive(String devboxId);

    /** Shuts it down for good: its processes stop and its workspace is removed. Answers once that is done. */
    Devbox shutdown(String devboxId);

    /**
     * Waits until the devbox is in one of {@code statuses}, or failed or shut down (its status cannot change by
     * itself any more), asking the server again after each of its long polls, at most {@code timeout} in all.
     *
     * @return the devbox then (check its status: it may have failed)
     * @throws MyelinConnectionException when {@code timeout} passed first
     */
    Devbox awaitStatus(String devboxId, Duration timeout, DevboxStatus... statuses);
}
