package io.myelin.devbox;

import io.myelin.broker.BrokerFactory;
import java.time.InstantSource;

/**
 * What every {@link DevboxSupervisor} works with, built once by {@link Devboxes}.
 *
 * @param store   where status changes are made durable
 * @param events  where they are announced
 * @param brokers starts the agents' brokers
 * @param host    prepares workspaces and runs commands
 * @param options the server's devbox settings
 * @param clock   the engine's clock: idle time and keep-alives are measured on it
 */
record DevboxContext(DevboxStore store, LifecycleEvents events, BrokerFactory brokers, DevboxHost host,
                     DevboxOptions options, InstantSource clock) {}
