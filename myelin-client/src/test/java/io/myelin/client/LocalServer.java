package io.myelin.client;

import io.myelin.server.MyelinServer;
import io.myelin.server.config.ConfigLoader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Map;
import java.util.stream.Stream;

/**
 * A real Myelin server in this JVM on a free loopback port, with a fresh data dir and a known admin key. It can be
 * stopped and started again on the same port and data dir.
 */
final class LocalServer implements AutoCloseable {
    static final String ADMIN_KEY = "test-admin-key-0123456789abcdefghij";

    private final Path dataDir;
    private final Map<String, String> settings;
    private int port;
    private MyelinServer server;

    private LocalServer(Path dataDir, Map<String, String> settings) {
        this.dataDir = dataDir;
        this.settings = settings;
    }

    static LocalServer start() {
        return start(Map.of());
    }

    /** @param settings extra server settings, e.g. {@code sse.idle-timeout=1s} */
    static LocalServer start(Map<String, String> settings) {
        try {
            LocalServer s = new LocalServer(Files.createTempDirectory("myelin-client-test"), settings);
            s.restart();
            return s;
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Starts the server (again): the first time on a free port, later on the same one. */
    void restart() {
        ConfigLoader loader = new ConfigLoader().flag("port", port).flag("data-dir", dataDir).flag("admin-key", ADMIN_KEY);
        settings.forEach(loader::flag);
        server = MyelinServer.start(loader.build());
        port = server.port();
    }

    /** Stops the server, keeping its data dir and port for {@link #restart()}. */
    void stop() {
        server.close();
    }

    int port() {
        return port;
    }

    Path dataDir() {
        return dataDir;
    }

    String url() {
        return "http://127.0.0.1:" + port;
    }

    MyelinClient.Builder clientBuilder() {
        return MyelinClient.builder().baseUrl(url()).apiKey(ADMIN_KEY);
    }

    MyelinClient client() {
        return clientBuilder().build();
    }

    @Override
    public void close() {
        server.close();
        deleteTree(dataDir);
    }

    static void deleteTree(Path dir) {
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // best effort: a temp dir
        }
    }
}
