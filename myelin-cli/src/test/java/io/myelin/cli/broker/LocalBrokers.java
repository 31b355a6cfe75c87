package io.myelin.cli.broker;

import io.myelin.broker.BrokerListener;
import io.myelin.broker.BrokerProtocol;
import io.myelin.broker.BrokerSpec;
import io.myelin.broker.MountedBroker;
import io.myelin.client.MyelinClient;
import io.myelin.server.MyelinServer;
import io.myelin.server.config.ConfigLoader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * A real server in this JVM whose brokers the tests mount directly through its {@link MyelinServer#brokers()}
 * factory (what the devbox layer does), and a client that drives the axons over HTTP.
 */
final class LocalBrokers implements AutoCloseable {
    static final String KEY = "broker-test-admin-key-0123456789abcdef";

    final Path dir;
    final MyelinServer server;
    final MyelinClient client;

    LocalBrokers() throws IOException {
        this.dir = Files.createTempDirectory("myelin-broker-test");
        this.server = MyelinServer.start(new ConfigLoader().flag("port", 0).flag("data-dir", dir.resolve("data"))
                .flag("admin-key", KEY).build());
        this.client = MyelinClient.builder().baseUrl(server.uri()).apiKey(KEY).build();
    }

    String newAxon(String name) {
        return client.axons().create(name, Map.of()).id();
    }

    MountedBroker mount(String axonId, BrokerProtocol protocol, List<String> command, BrokerListener listener)
            throws IOException {
        Path work = Files.createDirectories(dir.resolve("work-" + axonId));
        return server.brokers().start(new BrokerSpec("dbx_" + axonId, axonId, protocol, command, work,
                TestAgents.environment(work), true), listener);
    }

    @Override
    public void close() {
        client.close();
        server.close();
    }

    /** Records what a broker tells its supervisor. */
    static final class Calls implements BrokerListener {
        final ConcurrentLinkedQueue<String> calls = new ConcurrentLinkedQueue<>();

        @Override
        public void activity() {
            calls.add("activity");
        }

        @Override
        public void idle() {
            calls.add("idle");
        }

        @Override
        public void wakeRequested() {
            calls.add("wake");
        }

        @Override
        public void agentExited(int exitCode, String reason) {
            calls.add("exited " + exitCode + " " + reason);
        }
    }
}
