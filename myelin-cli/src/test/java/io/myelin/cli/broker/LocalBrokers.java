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
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A real server in this JVM whose brokers the tests mount directly through its {@link MyelinServer#brokers()}
 * factory (what the devbox layer does), and a client that drives the axons over HTTP. A test class registers one
 * ({@code @RegisterExtension static final LocalBrokers brokers = new LocalBrokers();}): it starts before the class's
 * first test and closes after its last; {@link #started()} gives one to close by hand.
 */
final class LocalBrokers implements BeforeAllCallback, AfterAllCallback, AutoCloseable {
    static final String KEY = "broker-test-admin-key-0123456789abcdef";

    Path dir;
    MyelinServer server;
    MyelinClient client;

    /** A server started now, for a test that closes it itself. */
    static LocalBrokers started() throws IOException {
        LocalBrokers brokers = new LocalBrokers();
        brokers.start();
        return brokers;
    }

    private void start() throws IOException {
        this.dir = Files.createTempDirectory("myelin-broker-test");
        this.server = MyelinServer.start(new ConfigLoader().flag("port", 0).flag("data-dir", dir.resolve("data"))
                .flag("admin-key", KEY).build());
        this.client = MyelinClient.builder().baseUrl(server.uri()).apiKey(KEY).build();
    }

    @Override
    public void beforeAll(ExtensionContext context) throws IOException {
        start();
    }

    @Override
    public void afterAll(ExtensionContext context) {
        close();
    }

    String newAxon(String name) {
        return client.axons().create(name, Map.of()).id();
    }

    /** Mounts a broker whose supervisor calls are recorded and not looked at. */
    MountedBroker mount(String axonId, BrokerProtocol protocol, List<String> command) throws IOException {
        return mount(axonId, protocol, command, new Calls());
    }

    MountedBroker mount(String axonId, BrokerProtocol protocol, List<String> command, BrokerListener listener)
            throws IOException {
        Path work = Files.createDirectories(dir.resolve("work-" + axonId));
        return server.brokers().start(new BrokerSpec("dbx_" + axonId, axonId, protocol, command, work,
                TestAgents.environment(work), true), listener);
    }

    /**
     * {@code myelin broker} over ACP on {@code axon} against this server, running {@code agent} in a fresh working
     * directory, as a child JVM (not started yet; its output goes to {@code broker.log}).
     */
    ChildJvm remoteBroker(String axon, List<String> agent) throws IOException {
        Path work = Files.createDirectories(dir.resolve("work-remote-" + axon));
        List<String> args = new java.util.ArrayList<>(List.of("broker", "--server", server.uri().toString(),
                "--api-key", KEY, "--axon", axon, "--protocol", "acp", "--name", "laptop",
                "--working-dir", work.toString(), "--"));
        args.addAll(agent);
        return ChildJvm.myelin(dir.resolve("broker.log"), args);
    }

    @Override
    public void close() {
        if (client != null) {
            client.close();
        }
        if (server != null) {
            server.close();
        }
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
