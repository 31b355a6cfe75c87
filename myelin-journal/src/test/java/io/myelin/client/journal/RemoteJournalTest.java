package io.myelin.client.journal;

import io.myelin.client.MyelinClient;
import io.myelin.testkit.InjectServer;
import io.myelin.testkit.TestServer;
import io.myelin.testkit.WithMyelinServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** The contract on {@link Journal#remote}: two clients on one axon of a real server. */
@WithMyelinServer
class RemoteJournalTest extends JournalContract {
    @InjectServer
    static TestServer server;
    static MyelinClient first;
    static MyelinClient second;
    private String axon;

    @BeforeAll
    static void clients() {
        first = MyelinClient.builder().baseUrl(server.baseUrl()).apiKey(server.adminKey()).build();
        second = MyelinClient.builder().baseUrl(server.baseUrl()).apiKey(server.adminKey()).build();
    }

    @AfterAll
    static void closeClients() {
        first.close();
        second.close();
    }

    @Override
    Journal open() {
        axon = server.createAxon("journal-contract");
        return Journal.remote(first, axon);
    }

    @Override
    Journal openAnother() {
        return Journal.remote(second, axon);
    }
}
