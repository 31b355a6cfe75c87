package io.myelin.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.myelin.testkit.InjectServer;
import io.myelin.testkit.TestServer;
import io.myelin.testkit.WithMyelinServer;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

@WithMyelinServer
class AxonsTest {
    @InjectServer
    static TestServer server;
    static MyelinClient client;

    @BeforeAll
    static void start() {
        client = Clients.of(server);
    }

    @AfterAll
    static void stop() {
        client.close();
    }

    @Test
    void createGetUpdateDelete() {
        Axon a = client.axons().create("crud-" + UUID.randomUUID(), Map.of("team", "infra"));
        assertThat(a.id()).isNotBlank();
        assertThat(a.metadata()).containsEntry("team", "infra");
        assertThat(a.createdAtMs()).isPositive();

        assertThat(client.axons().get(a.id())).isEqualTo(a);

        Axon updated = client.axons().updateMetadata(a.id(), Map.of("team", "support", "tier", "gold"));
        assertThat(updated.metadata()).isEqualTo(Map.of("team", "support", "tier", "gold"));
        assertThat(client.axons().updateMetadata(a.id(), Map.of()).metadata()).isEmpty();

        client.axons().delete(a.id());
        assertThatThrownBy(() -> client.axons().get(a.id()))
                .isInstanceOfSatisfying(NotFoundException.class, e -> {
                    assertThat(e.status()).isEqualTo(404);
                    assertThat(e.type()).isEqualTo("not_found");
                });
    }

    @Test
    void unnamedAxonsHaveNoName() {
        Axon a = client.axons().create();
        assertThat(a.name()).isNull();
        assertThat(a.metadata()).isEmpty();
    }

    @Test
    void listPagesByCursorAndFilters() {
        String prefix = "page-" + UUID.randomUUID() + "-";
        for (int i = 0; i < 7; i++) {
            client.axons().create(prefix + i, Map.of("parity", i % 2 == 0 ? "even" : "odd", "n", Integer.toString(i)));
        }
        List<String> names = client.axons().list(AxonFilter.all().namePrefix(prefix).pageSize(3)).stream().map(Axon::name).toList();
        assertThat(names).containsExactly(prefix + 0, prefix + 1, prefix + 2, prefix + 3, prefix + 4, prefix + 5, prefix + 6);

        // Iterable: a second iteration starts again from the first page.
        Paged<Axon> paged = client.axons().list(AxonFilter.all().namePrefix(prefix).pageSize(2));
        int count = 0;
        for (Axon ignored : paged) {
            count++;
        }
        assertThat(count).isEqualTo(7);
        assertThat(paged.stream().count()).isEqualTo(7);

        assertThat(client.axons().list(AxonFilter.all().namePrefix(prefix).metadata("parity", "odd")).stream().map(Axon::name))
                .containsExactly(prefix + 1, prefix + 3, prefix + 5);
        assertThat(client.axons().list(AxonFilter.all().namePrefix(prefix).metadataIn("n", "0", "6")).stream().map(Axon::name))
                .containsExactly(prefix + 0, prefix + 6);
        assertThat(client.axons().list(AxonFilter.all().search(prefix + 4)).stream().map(Axon::name)).containsExactly(prefix + 4);

        Axon third = client.axons().list(AxonFilter.all().namePrefix(prefix)).stream().skip(2).findFirst().orElseThrow();
        assertThat(client.axons().list(AxonFilter.all().id(third.id())).stream().toList()).containsExactly(third);
    }

    @Test
    void aWrongKeyIsATypedAuthError() {
        try (MyelinClient wrong = Clients.builder(server).apiKey("not-the-key-0123456789").build();
             MyelinClient none = MyelinClient.builder().baseUrl(server.baseUrl()).build()) {
            assertThatThrownBy(() -> wrong.axons().create()).isInstanceOfSatisfying(AuthException.class,
                    e -> assertThat(e.status()).isEqualTo(401));
            assertThatThrownBy(() -> none.axons().list().stream().count()).isInstanceOf(AuthException.class);
        }
    }

    @Test
    void invalidInputNamesTheField() {
        String tooLong = "x".repeat(10_000);
        assertThatThrownBy(() -> client.axons().create(tooLong, Map.of()))
                .isInstanceOfSatisfying(MyelinApiException.class, e -> {
                    assertThat(e.status()).isBetween(400, 422);
                    assertThat(e.field()).isEqualTo("name");
                    assertThat(e.serverMessage()).isNotBlank();
                });
    }

    @Test
    void anUnreachableServerIsAConnectionError() {
        try (MyelinClient dead = MyelinClient.builder().baseUrl("http://127.0.0.1:1").build()) {
            assertThatThrownBy(() -> dead.axons().create()).isInstanceOf(MyelinConnectionException.class)
                    .hasMessageContaining("cannot reach http://127.0.0.1:1");
        }
    }
}
