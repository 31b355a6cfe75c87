package io.myelin.client;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * An intent to create ({@code POST /v1/axons/{id}/intents}). Build one with {@link #builder}:
 *
 * <pre>{@code
 * Intent i = client.intents().create(axonId, NewIntent.builder("refund.approval", WaitingFor.HUMAN)
 *         .title("Refund order 1234 ($80)?")
 *         .payload(Map.of("order", 1234, "amount_usd", 80))
 *         .assignee("alice")
 *         .deadlineIn(Duration.ofHours(24))
 *         .onDeadline(OnDeadline.ESCALATE).escalateTo("bob")
 *         .build());
 * }</pre>
 *
 * <p>The server checks every field and names the one at fault in a 400 (limits on lengths, the payload's size,
 * times in the past); the builder only refuses what cannot be sent at all.
 *
 * <p>{@code fireIn} and {@code deadlineIn} send delays ({@code fire_in_ms}, {@code deadline_in_ms}) that the server
 * counts from when it creates the intent, so a request rebuilt the same way is the same request: a repeat under one
 * idempotency key, however late, answers the original intent. {@code fireAt} and {@code deadline} send instants.
 * Setting one form of a time replaces the other.
 *
 * @param kind          the caller's label, e.g. {@code refund.approval} (required)
 * @param waitingFor    whom it waits for (required)
 * @param title         a line for people, or {@code null}
 * @param payload       any JSON value, or {@code null}
 * @param assignee      who should act, or {@code null}
 * @param fireAtMs      for {@link WaitingFor#TIME}: when it fires, epoch milliseconds; else {@code null}
 * @param fireInMs      for {@link WaitingFor#TIME}: when it fires, as milliseconds after its creation; {@code null}
 *                      when {@code fireAtMs} says it or it has no fire time
 * @param deadlineMs    when it expires (or escalates) if still waiting, epoch milliseconds, or {@code null}
 * @param deadlineInMs  its deadline as milliseconds after its creation; {@code null} when {@code deadlineMs} says it
 *                      or it has none
 * @param remindEveryMs an {@code intent.reminded} event this often while it waits, or {@code null}
 * @param onDeadline    what the deadline does, or {@code null} for the server's default ({@code expire})
 * @param escalateTo    the assignee an escalation hands it to, or {@code null}
 */
public record NewIntent(String kind, WaitingFor waitingFor, String title, JsonNode payload, String assignee,
                        Long fireAtMs, Long fireInMs, Long deadlineMs, Long deadlineInMs, Long remindEveryMs,
                        OnDeadline onDeadline, String escalateTo) {
    /** Checks what no server could accept: a missing kind or waiting_for, values this client cannot name. */
    public NewIntent {
        if (kind == null || kind.isBlank()) {
            throw new IllegalArgumentException("kind is required");
        }
        if (waitingFor == null || waitingFor == WaitingFor.UNKNOWN) {
            throw new IllegalArgumentException("waitingFor is required: HUMAN, TOOL, AGENT or TIME");
        }
        if (onDeadline == OnDeadline.UNKNOWN) {
            throw new IllegalArgumentException("onDeadline UNKNOWN cannot be sent");
        }
        if (fireAtMs != null && fireInMs != null) {
            throw new IllegalArgumentException("fireAtMs and fireInMs are exclusive: set one");
        }
        if (deadlineMs != null && deadlineInMs != null) {
            throw new IllegalArgumentException("deadlineMs and deadlineInMs are exclusive: set one");
        }
    }

    /** A builder for an intent of {@code kind} waiting for {@code waitingFor}. */
    public static Builder builder(String kind, WaitingFor waitingFor) {
        return new Builder(kind, waitingFor);
    }

    /** Builds a {@link NewIntent}; not thread-safe. */
    public static final class Builder {
        private final String kind;
        private final WaitingFor waitingFor;
        private String title;
        private JsonNode payload;
        private String assignee;
        private Long fireAtMs;
        private Long fireInMs;
        private Long deadlineMs;
        private Long deadlineInMs;
        private Long remindEveryMs;
        private OnDeadline onDeadline;
        private String escalateTo;

        private Builder(String kind, WaitingFor waitingFor) {
            this.kind = kind;
            this.waitingFor = waitingFor;
        }

        /** A line for people (inboxes show it). */
        public Builder title(String title) {
            this.title = title;
            return this;
        }

        /**
         * The payload: any value the client's mapper turns into JSON (a {@code Map}, a record, a {@link JsonNode});
         * records map with snake_case names, like the wire.
         */
        public Builder payload(Object payload) {
            this.payload = payload == null ? null : Json.MAPPER.valueToTree(payload);
            return this;
        }

        /** Who should act on it. */
        public Builder assignee(String assignee) {
            this.assignee = assignee;
            return this;
        }

        /** For a time intent: when it fires (replaces a {@link #fireIn}). */
        public Builder fireAt(Instant at) {
            this.fireAtMs = Objects.requireNonNull(at, "at").toEpochMilli();
            this.fireInMs = null;
            return this;
        }

        /**
         * For a time intent: fires {@code delay} after the server creates it, by the server's clock (replaces a
         * {@link #fireAt}).
         */
        public Builder fireIn(Duration delay) {
            this.fireInMs = Objects.requireNonNull(delay, "delay").toMillis();
            this.fireAtMs = null;
            return this;
        }

        /** When it expires (or escalates) if still waiting (replaces a {@link #deadlineIn}). */
        public Builder deadline(Instant at) {
            this.deadlineMs = Objects.requireNonNull(at, "at").toEpochMilli();
            this.deadlineInMs = null;
            return this;
        }

        /**
         * Its deadline, {@code span} after the server creates it, by the server's clock (replaces a
         * {@link #deadline}).
         */
        public Builder deadlineIn(Duration span) {
            this.deadlineInMs = Objects.requireNonNull(span, "span").toMillis();
            this.deadlineMs = null;
            return this;
        }

        /** An {@code intent.reminded} event on the axon this often while it waits. */
        public Builder remindEvery(Duration interval) {
            this.remindEveryMs = Objects.requireNonNull(interval, "interval").toMillis();
            return this;
        }

        /** What its deadline does (default: {@link OnDeadline#EXPIRE}). */
        public Builder onDeadline(OnDeadline action) {
            this.onDeadline = action;
            return this;
        }

        /** The assignee an escalation hands it to (with {@link OnDeadline#ESCALATE}). */
        public Builder escalateTo(String assignee) {
            this.escalateTo = assignee;
            return this;
        }

        /** The intent to send. */
        public NewIntent build() {
            return new NewIntent(kind, waitingFor, title, payload, assignee, fireAtMs, fireInMs, deadlineMs,
                    deadlineInMs, remindEveryMs, onDeadline, escalateTo);
        }
    }
}
