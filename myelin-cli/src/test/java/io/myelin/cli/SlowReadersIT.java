package io.myelin.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.myelin.testkit.ServerProcess;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Forty clients ask for the largest answer Axon SQL gives (32 MiB of rows) and then stop reading, against the real
 * server in a child process with a 512 MiB heap. The answers held for them are bounded by
 * {@code limits.response-memory} (here a quarter of the heap): the rest are refused with 503 and Retry-After, the
 * server keeps answering others, and no request fails with a 5xx of another kind (out of memory).
 */
@Timeout(value = 300, unit = TimeUnit.SECONDS)
class SlowReadersIT {
    static final ObjectMapper JSON = new ObjectMapper();
    static final int READERS = 40;
    /** 16 rows of 2,000,000 characters: just under sql.max-result-bytes (32 MiB) once encoded. */
    static final String LARGEST = "WITH RECURSIVE r(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM r WHERE i < 16)"
            + " SELECT i, printf('%.*c', 2000000, 'x') FROM r";
    final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    @Test
    void slowReadersOfTheLargestAnswerCannotExhaustTheHeap() throws Exception {
        try (ServerProcess server = ServerProcess.ofJar(ServerProcess.myelinJar()).jvmOptions("-Xmx512m").start()) {
            // Several axons, so that the answers are computed in parallel lanes rather than one after another.
            List<String> axons = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                axons.add(JSON.readTree(send(server, "POST", "/v1/axons", "{}").body()).get("id").asText());
            }
            String axon = axons.get(0);
            List<Socket> readers = new ArrayList<>();
            List<Integer> statuses = new ArrayList<>();
            try {
                for (int i = 0; i < READERS; i++) {
                    Socket s = new Socket();
                    s.setReceiveBufferSize(4096);
                    s.setSoTimeout(120_000);
                    s.connect(new java.net.InetSocketAddress("127.0.0.1", server.port()));
                    readers.add(s);
                    byte[] body = JSON.writeValueAsBytes(Map.of("sql", LARGEST));
                    OutputStream out = s.getOutputStream();
                    out.write(("POST /v1/axons/" + axons.get(i % axons.size()) + "/sql/query HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer "
                            + ServerProcess.ADMIN_KEY + "\r\nContent-Type: application/json\r\nContent-Length: " + body.length
                            + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
                    out.write(body);
                    out.flush();
                }
                // Every client gets its status line (the answer has started), then reads nothing more.
                for (Socket s : readers) {
                    statuses.add(statusOf(s.getInputStream()));
                }
                assertThat(statuses).as("only answers and 503 refusals").allMatch(st -> st == 200 || st == 503);
                assertThat(statuses).as("some answers are being sent").contains(200);
                assertThat(statuses).as("the rest were refused, not held").contains(503);

                // While they stall, the server holds no more than its budget and still serves others.
                assertThat(metric(server, "myelin_answers_held_bytes"))
                        .isLessThanOrEqualTo(metric(server, "myelin_answers_capacity_bytes"));
                HttpResponse<String> small = send(server, "POST", "/v1/axons/" + axon + "/sql/query", "{\"sql\":\"SELECT 1\"}");
                assertThat(small.statusCode()).as(small.body()).isEqualTo(200);
                assertThat(send(server, "GET", "/healthz", null).statusCode()).isEqualTo(200);

                // The held answers are whole once read.
                for (int i = 0; i < readers.size(); i++) {
                    if (statuses.get(i) == 200) {
                        JsonNode answer = JSON.readTree(bodyOf(readers.get(i).getInputStream()));
                        assertThat(answer.get("rows")).hasSize(16);
                        assertThat(answer.get("meta").get("rows_read_limit_reached").asBoolean()).isFalse();
                    }
                }
            } finally {
                for (Socket s : readers) {
                    s.close();
                }
            }
            Awaitility.await().atMost(Duration.ofSeconds(60))
                    .until(() -> metric(server, "myelin_answers_held_bytes") == 0);
            String log = Files.readString(server.log());
            assertThat(log).doesNotContain("OutOfMemoryError");
        }
    }

    /** Reads the status line and headers, up to the blank line. */
    private static int statusOf(InputStream in) throws IOException {
        String head = readHead(in);
        return Integer.parseInt(head.substring(9, 12));
    }

    private static String readHead(InputStream in) throws IOException {
        StringBuilder head = new StringBuilder();
        while (head.length() < 4 || !head.substring(head.length() - 4).equals("\r\n\r\n")) {
            int b = in.read();
            if (b < 0) {
                throw new IOException("connection closed in the headers: " + head);
            }
            head.append((char) b);
        }
        return head.toString();
    }

    /** The rest of a chunked body after its head. */
    private static byte[] bodyOf(InputStream in) throws IOException {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        while (true) {
            StringBuilder size = new StringBuilder();
            for (int b; (b = in.read()) != '\n'; ) {
                if (b < 0) {
                    throw new IOException("connection closed in a chunk size");
                }
                if (b != '\r') {
                    size.append((char) b);
                }
            }
            int n = Integer.parseInt(size.toString().trim(), 16);
            if (n == 0) {
                return body.toByteArray();
            }
            body.write(in.readNBytes(n));
            in.readNBytes(2);
        }
    }

    private double metric(ServerProcess server, String name) throws Exception {
        for (String line : send(server, "GET", "/metrics", null).body().split("\n")) {
            if (line.startsWith(name + " ")) {
                return Double.parseDouble(line.substring(line.indexOf(' ') + 1));
            }
        }
        throw new AssertionError("no " + name + " in /metrics");
    }

    private HttpResponse<String> send(ServerProcess server, String method, String path, String body)
            throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(server.uri(path)).timeout(Duration.ofSeconds(60))
                .header("Authorization", "Bearer " + ServerProcess.ADMIN_KEY).header("Content-Type", "application/json")
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }
}
