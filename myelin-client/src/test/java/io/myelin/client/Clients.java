package io.myelin.client;

import io.myelin.testkit.TestServer;

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
}
