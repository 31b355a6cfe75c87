package io.myelin.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.myelin.testkit.ServerProcess;
import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A keyed SQL write whose server is killed while it runs has an unknown outcome: after the restart, a retry with
 * the same key must be told so (409, {@code x-should-retry: false}) and must not run the write a second time.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class RetryAfterCrashIT {
    static final ObjectMapper JSON = new ObjectMapper();
    final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    @Test
    void aRetryOfAWriteCutOffByACrashIsRefusedNotRepeated() throws Exception {
        try (ServerProcess server = ServerProcess.ofJar(ServerProcess.myelinJar()).jvmOptions("-Xmx512m")
                .setting("sql.statement-timeout", "60s").setting("sql.batch-timeout", "60s").start()) {
            String axon = JSON.readTree(post(server, "/v1/axons", "{}", null).body()).get("id").asText();
            String path = "/v1/axons/" + axon + "/sql/";
            assertThat(post(server, path + "query", "{\"sql\":\"CREATE TABLE ledger (amount INTEGER)\"}", null)
                    .statusCode()).isEqualTo(200);
            // The insert runs, then a statement spins: the batch is running, uncommitted, when the server dies.
            String batch = "{\"statements\":[{\"sql\":\"INSERT INTO ledger VALUES (1)\"},{\"sql\":\"WITH RECURSIVE"
                    + " r(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM r) SELECT count(*) FROM r\"}]}";
            CompletableFuture<Void> original = CompletableFuture.runAsync(() -> {
                try {
                    post(server, path + "batch", batch, "pay-42");
                } catch (IOException | InterruptedException serverKilled) {
                    // expected: the server dies under it
                }
            });
            Awaitility.await().atMost(Duration.ofSeconds(60)).until(() -> sqlPending(server) >= 1);
            server.kill9();
            original.join();
            server.start();

            HttpResponse<String> retry = post(server, path + "batch", batch, "pay-42");
            assertThat(retry.statusCode()).as(retry.body()).isEqualTo(409);
            assertThat(retry.headers().firstValue("x-should-retry")).contains("false");
            assertThat(JSON.readTree(retry.body()).get("error").get("message").asText()).contains("outcome is unknown");
            JsonNode rows = JSON.readTree(post(server, path + "query", "{\"sql\":\"SELECT count(*) FROM ledger\"}", null)
                    .body()).get("rows");
            assertThat(rows.get(0).get(0).asLong()).as("the cut-off batch was rolled back and not run again").isZero();

            // A new key runs a new request.
            HttpResponse<String> fresh = post(server, path + "query", "{\"sql\":\"INSERT INTO ledger VALUES (2)\"}", "pay-43");
            assertThat(fresh.statusCode()).as(fresh.body()).isEqualTo(200);
        }
    }

    private double sqlPending(ServerProcess server) throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(server.uri("/metrics"))
                .header("Authorization", "Bearer " + ServerProcess.ADMIN_KEY).build(), HttpResponse.BodyHandlers.ofString());
        for (String line : r.body().split("\n")) {
            if (line.startsWith("myelin_sql_pending ")) {
                return Double.parseDouble(line.substring(line.indexOf(' ') + 1));
            }
        }
        return 0;
    }

    private HttpResponse<String> post(ServerProcess server, String path, String body, String key)
            throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(server.uri(path)).timeout(Duration.ofSeconds(90))
                .header("Authorization", "Bearer " + ServerProcess.ADMIN_KEY).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body));
        if (key != null) {
            b.header("Idempotency-Key", key);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }
}
