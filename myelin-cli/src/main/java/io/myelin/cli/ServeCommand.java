package io.myelin.cli;

import io.myelin.error.MyelinException;
import io.myelin.server.MyelinServer;
import io.myelin.server.config.ConfigLoader;
import io.myelin.server.config.ServerConfig;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code myelin serve}: runs the server in the foreground until interrupted. */
@Command(name = "serve", mixinStandardHelpOptions = true,
        description = {"Run the Myelin server.",
                "Every setting can also come from the YAML config file or a MYELIN_* environment variable",
                "(flags win over the environment, which wins over the file). See README: Configuration."})
public final class ServeCommand implements Callable<Integer> {
    private static final Logger log = LoggerFactory.getLogger(ServeCommand.class);

    @Option(names = "--host", description = "address to listen on (default 127.0.0.1; env MYELIN_HOST)")
    String host;

    @Option(names = "--port", description = "port to listen on (default 7777; env MYELIN_PORT)")
    Integer port;

    @Option(names = "--data-dir", description = "directory for all durable state (default ./myelin-data; env MYELIN_DATA_DIR)")
    Path dataDir;

    @Option(names = "--config", description = "YAML config file (env MYELIN_CONFIG)")
    Path config;

    @Option(names = "--set", paramLabel = "KEY=VALUE", description = "any other setting, e.g. --set sse.idle-timeout=30s")
    Map<String, String> settings = Map.of();

    @Override
    public Integer call() throws Exception {
        ServerConfig cfg;
        try {
            Path file = config != null ? config : envPath("MYELIN_CONFIG");
            ConfigLoader loader = new ConfigLoader().yaml(file).env(System.getenv());
            settings.forEach(loader::flag);
            cfg = loader.flag("host", host).flag("port", port).flag("data-dir", dataDir).build();
        } catch (MyelinException e) {
            System.err.println("myelin: configuration error: " + e.getMessage());
            return 2;
        }
        MyelinServer server;
        try {
            server = MyelinServer.start(cfg);
        } catch (MyelinException e) {
            System.err.println("myelin: " + e.getMessage());
            return 1;
        }
        Runtime.getRuntime().addShutdownHook(new Thread(server::close, "myelin-shutdown"));
        if (server.generatedAdminKey() != null) {
            System.out.println("Generated admin API key (shown once; also saved to "
                    + server.dataDir().resolve("admin.key") + "):");
            System.out.println("  " + server.generatedAdminKey());
            System.out.flush();
        }
        log.info("Myelin {} listening on {} (data dir {})", MyelinServer.VERSION, server.uri(), server.dataDir());
        server.join();
        return 0;
    }

    private static Path envPath(String name) {
        String v = System.getenv(name);
        return v == null || v.isBlank() ? null : Path.of(v);
    }
}
