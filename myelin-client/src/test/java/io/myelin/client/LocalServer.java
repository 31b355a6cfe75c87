package io.myelin.client;

import io.myelin.server.MyelinServer;
import io.myelin.server.config.ConfigLoader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Map;
import java.util.stream.Stream;

/** A real Myelin server in this JVM on a free loopback port, with a fresh data dir and a known admin key. */
final class LocalServer implements AutoCloseable {
    static final String ADMIN_KEY = "test-admin-key-0123456789abcdefghij";

    private final MyelinServer server;
    private final Path dataDir;

    private LocalServer(MyelinServer server, Path dataDir) {
        this.server = server;
        this.dataDir = dataDir;
    }

    static LocalServer start() {
        return start(Map.of());
    }

    /** @param settings extra server settings, e.g. {@code sse.idle-timeout=1s} */
    static LocalServer start(Map<String, String> settings) {
        try {
            Path dir = Files.createTempDirectory("myelin-client-test");
            ConfigLoader loader = new ConfigLoader().flag("port", 0).flag("data-dir", dir).flag("admin-key", ADMIN_KEY);
            settings.forEach(loader::flag);
            return new LocalServer(MyelinServer.start(loader.build()), dir);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    String url() {
        return server.uri().toString();
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
