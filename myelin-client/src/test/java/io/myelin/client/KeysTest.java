package io.myelin.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.myelin.testkit.InjectServer;
import io.myelin.testkit.TestServer;
import io.myelin.testkit.WithMyelinServer;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** {@link Keys} against a real server: create, use, list, rotate, revoke; refusals as typed exceptions. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
@WithMyelinServer
class KeysTest {
    @InjectServer
    static TestServer server;

    @Test
    void aKeyIsCreatedUsedRotatedAndRevoked() {
        try (MyelinClient admin = Clients.of(server)) {
            String axon = admin.axons().create("keys", java.util.Map.of()).id();
            IssuedKey issued = admin.keys().create(NewKey.of("reader", "axons:read").onlyAxons(List.of(axon)));
            assertThat(issued.secret()).startsWith("myl_");
            assertThat(issued.toString()).doesNotContain(issued.secret());
            assertThat(issued.key().axonIds()).containsExactly(axon);
            try (MyelinClient reader = Clients.builder(server).apiKey(issued.secret()).build()) {
                assertThat(reader.axons().list(AxonFilter.all()).stream().map(Axon::id)).containsExactly(axon);
                assertThatThrownBy(() -> reader.keys().list().stream().count()).isInstanceOf(MyelinApiException.class)
                        .satisfies(e -> assertThat(((MyelinApiException) e).status()).isEqualTo(403));
            }
            assertThat(admin.keys().list().stream().map(ApiKey::id)).contains(issued.key().id());
            assertThat(admin.keys().get(issued.key().id()).name()).isEqualTo("reader");

            IssuedKey rotated = admin.keys().rotate(issued.key().id(), Duration.ZERO);
            assertThat(rotated.key().id()).isEqualTo(issued.key().id());
            try (MyelinClient old = Clients.builder(server).apiKey(issued.secret()).build();
                 MyelinClient fresh = Clients.builder(server).apiKey(rotated.secret()).build()) {
                assertThatThrownBy(() -> old.axons().get(axon)).isInstanceOf(AuthException.class);
                assertThat(fresh.axons().get(axon).id()).isEqualTo(axon);
                ApiKey revoked = admin.keys().revoke(issued.key().id());
                assertThat(revoked.revokedAtMs()).isNotNull();
                assertThatThrownBy(() -> fresh.axons().get(axon)).isInstanceOf(AuthException.class);
            }
            assertThatThrownBy(() -> admin.keys().get("key_000000000000000000000000")).isInstanceOf(NotFoundException.class);
            assertThat(admin.keys().rotate(admin.keys().create(NewKey.of("r", "axons:read")).key().id())
                    .key().previousKeyExpiresAtMs()).as("the server's default grace").isNotNull();
        }
    }
}
