package io.myelin.client;

import io.myelin.testkit.TestServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;

/** Clients of a test server, with its admin key. */
final class Clients {
    private Clients() {
    }

    static MyelinClient.Builder builder(TestServer server) {
        return MyelinClient.builder().baseUrl(server.baseUrl()).apiKey(server.adminKey());
    }

    static MyelinClient of(TestServer server) {
        return builder(server).build();
    }

    /** A loopback port nothing listens on: connecting to it is refused. */
    static int closedPort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }
}
