package io.myelin.server;

import io.myelin.server.config.ConfigLoader;
import java.nio.file.Path;

/**
 * {@code myelin serve} with the {@link ProcessBrokerFactory} as its broker, for the node compat suite: it runs with
 * the server jar and this module's test classes on the class path
 * ({@code java -cp myelin.jar:myelin-server/target/test-classes io.myelin.server.ProcessBrokerServer --port P
 * --data-dir D}), reads every other setting from the environment as {@code myelin serve} does, and stops on
 * SIGTERM.
 */
public final class ProcessBrokerServer {
    private ProcessBrokerServer() {}

    public static void main(String[] args) throws Exception {
        ConfigLoader loader = new ConfigLoader().env(System.getenv());
        for (int i = 0; i + 1 < args.length; i += 2) {
            switch (args[i]) {
                case "--host" -> loader.flag("host", args[i + 1]);
                case "--port" -> loader.flag("port", args[i + 1]);
                case "--data-dir" -> loader.flag("data-dir", Path.of(args[i + 1]));
                default -> throw new IllegalArgumentException("unknown option " + args[i] + "; expected --host, --port, --data-dir");
            }
        }
        MyelinServer server = MyelinServer.start(loader.build(), new ProcessBrokerFactory());
        Runtime.getRuntime().addShutdownHook(new Thread(server::close, "myelin-shutdown"));
        System.err.println("listening on " + server.uri() + " with the process-only test broker");
        server.join();
    }
}
