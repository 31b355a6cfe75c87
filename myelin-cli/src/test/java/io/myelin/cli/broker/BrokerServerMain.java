package io.myelin.cli.broker;

import io.myelin.broker.BrokerListener;
import io.myelin.broker.BrokerProtocol;
import io.myelin.broker.BrokerSpec;
import io.myelin.client.Axon;
import io.myelin.client.MyelinClient;
import io.myelin.server.MyelinServer;
import io.myelin.server.config.ConfigLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * A server with one broker mounted, in a child JVM for the crash tests — what a devbox gives an axon, without the
 * devbox layer: {@code BrokerServerMain PORT DATA_DIR ADMIN_KEY AXON_NAME WORK_DIR AGENT_ARGV...}. It finds the axon
 * named AXON_NAME (creating it on the first start), writes its id into {@code DATA_DIR/../axon-id}, and mounts an
 * ACP broker on it; a restart after {@code kill -9} mounts it again over the same data.
 */
public final class BrokerServerMain {
    private BrokerServerMain() {
    }

    public static void main(String[] args) throws Exception {
        Path data = Path.of(args[1]);
        MyelinServer server = MyelinServer.start(new ConfigLoader().flag("port", args[0]).flag("data-dir", data)
                .flag("admin-key", args[2]).build());
        String axonId;
        try (MyelinClient client = MyelinClient.builder().baseUrl(server.uri()).apiKey(args[2]).build()) {
            axonId = client.axons().list().stream().filter(a -> args[3].equals(a.name())).map(Axon::id).findFirst()
                    .orElseGet(() -> client.axons().create(args[3], Map.of()).id());
        }
        Path work = Path.of(args[4]);
        List<String> argv = Arrays.asList(args).subList(5, args.length);
        server.brokers().start(new BrokerSpec("dbx_crash", axonId, BrokerProtocol.ACP, argv, work,
                TestAgents.environment(work), true), new BrokerListener() {
                    @Override
                    public void activity() {
                    }

                    @Override
                    public void idle() {
                    }

                    @Override
                    public void wakeRequested() {
                    }

                    @Override
                    public void agentExited(int exitCode, String reason) {
                    }
                });
        Files.writeString(data.resolveSibling("axon-id"), axonId);
        server.join();
    }
}
