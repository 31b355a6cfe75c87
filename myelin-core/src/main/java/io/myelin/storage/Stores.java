package io.myelin.storage;

import io.myelin.auth.KeyStore;
import io.myelin.axon.AxonStore;
import io.myelin.broker.AgentGroupStore;
import io.myelin.broker.BrokerStateStore;
import io.myelin.devbox.DevboxStore;
import io.myelin.idempotency.IdempotencyStore;
import io.myelin.intent.IntentStore;
import io.myelin.stream.CommitFeed;
import io.myelin.stream.EventStore;
import io.myelin.webhook.WebhookStore;

/**
 * Every port the engine stores through, from one adapter: SQLite files for one node today
 * ({@code io.myelin.storage.sqlite}), PostgreSQL for many nodes later. Nothing above these ports may assume one
 * process: an adapter for many nodes implements each of them against shared storage.
 */
public interface Stores extends AutoCloseable {
    AxonStore axons();

    EventStore events();

    CommitFeed commits();

    KeyStore keys();

    IdempotencyStore requests();

    DevboxStore devboxes();

    /** What brokers keep per axon ({@link io.myelin.broker.BrokerState}). */
    BrokerStateStore brokers();

    /** The process groups of the agents this server launched and has not seen end. */
    AgentGroupStore agentGroups();

    /** Webhooks and the outbox of their deliveries, written in the same transactions as the events they report. */
    WebhookStore webhooks();

    /** Durable intents and their timers; each change shares its transaction with its event. */
    IntentStore intents();

    /** Whether this node can write (readiness). */
    StorageHealth health();

    /** Finishes queued writes, then releases everything. */
    @Override
    void close();
}
