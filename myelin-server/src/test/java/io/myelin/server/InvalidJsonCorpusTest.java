package io.myelin.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.myelin.testkit.InjectServer;
import io.myelin.testkit.TestServer;
import io.myelin.testkit.WithMyelinServer;
import java.io.BufferedReader;
import java.io.IOException;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Every route that takes a body refuses every text of two corpora, sent as the whole body and as the value of a
 * field of an otherwise valid body: the {@code n_*} (must be rejected) and {@code i_*} (implementation-defined)
 * parser cases of JSONTestSuite (third-party data, see {@link #jsonTestSuiteFile}), and a generated corpus of every class of
 * malformed UTF-8. Nothing is accepted, nothing is a 5xx, the server stays healthy and acknowledged data is
 * unchanged.
 */
@Timeout(600)
@WithMyelinServer
class InvalidJsonCorpusTest {
    @InjectServer
    static TestServer s;
    static String id;

    @BeforeAll
    static void start() throws Exception {
        id = s.createAxon("corpus");
        s.publish(id, "keep", "acknowledged");
        s.post("/v1/axons/" + id + "/sql/query", Map.of("sql", "CREATE TABLE kept (v TEXT)"));
        s.post("/v1/axons/" + id + "/sql/query", Map.of("sql", "INSERT INTO kept VALUES ('acknowledged')"));
    }

    record Case(String name, byte[] bytes) {}

    /** A route and the bodies that wrap a value: {@code %s} is where the case goes. */
    record Route(String path, List<String> templates) {}

    static List<Route> routes() {
        String event = "{\"event_type\":\"t\",\"origin\":\"USER_EVENT\",\"source\":\"s\",\"payload\":%s}";
        return List.of(
                new Route("/v1/axons", List.of("{\"name\":%s}", "{\"metadata\":%s}", "{\"name\":\"n\",\"metadata\":{\"k\":%s}}")),
                new Route("/v1/axons/" + id, List.of("{\"metadata\":%s}", "{\"metadata\":{\"k\":%s}}")),
                new Route("/v1/axons/" + id + "/publish", List.of(event)),
                new Route("/v1/axons/" + id + "/publish/batch", List.of("{\"events\":%s}", "{\"events\":[" + event + "]}")),
                new Route("/v1/axons/" + id + "/sql/query", List.of("{\"sql\":%s}", "{\"sql\":\"SELECT ?\",\"params\":%s}")),
                new Route("/v1/axons/" + id + "/sql/batch", List.of("{\"statements\":%s}",
                        "{\"statements\":[{\"sql\":%s}]}", "{\"statements\":[{\"sql\":\"SELECT ?\",\"params\":%s}]}")));
    }

    /**
     * The JSONTestSuite cases are third-party data and live outside this repository, in the project's shared data
     * ({@code shared/jsontestsuite/jsontestsuite-n-i.tsv} beside the checkout), or where {@code -Dmyelin.jsontestsuite}
     * or {@code MYELIN_JSONTESTSUITE} points. Format: a {@code #} header naming the source and its license, then
     * one case per line: file name, TAB, hex groups (see {@link #hexGroups}).
     */
    static Path jsonTestSuiteFile() {
        String configured = System.getProperty("myelin.jsontestsuite", System.getenv("MYELIN_JSONTESTSUITE"));
        if (configured != null) {
            return Path.of(configured);
        }
        for (String up : List.of("..", "../..", "../../..")) {
            Path p = Path.of(up, "shared", "jsontestsuite", "jsontestsuite-n-i.tsv");
            if (Files.isRegularFile(p)) {
                return p;
            }
        }
        return null;
    }

    static List<Case> jsonTestSuite(Path file) throws IOException {
        List<Case> cases = new ArrayList<>();
        try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.US_ASCII)) {
            for (String line; (line = in.readLine()) != null; ) {
                if (line.startsWith("#") || line.isBlank()) {
                    continue;
                }
                String[] cols = line.split("\t");
                cases.add(new Case(cols[0], hexGroups(cols[1])));
            }
        }
        return cases;
    }

    /** {@code 5b*3 7b} is {@code [[[{}}: hex groups, each optionally repeated; {@code -} is empty. */
    static byte[] hexGroups(String spec) {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        if (spec.equals("-")) {
            return new byte[0];
        }
        for (String group : spec.split(" ")) {
            int star = group.indexOf('*');
            byte[] unit = HexFormat.of().parseHex(star < 0 ? group : group.substring(0, star));
            int times = star < 0 ? 1 : Integer.parseInt(group.substring(star + 1));
            for (int i = 0; i < times; i++) {
                out.writeBytes(unit);
            }
        }
        return out.toByteArray();
    }

    /** Every class of malformed UTF-8 (RFC 3629, Unicode Table 3-7), each sequence inside a string and bare. */
    static List<Case> invalidUtf8() {
        List<byte[]> seqs = new ArrayList<>();
        for (int b = 0x80; b <= 0xbf; b++) {
            seqs.add(new byte[] {(byte) b});                                    // stray continuation
            seqs.add(new byte[] {(byte) 0xc0, (byte) b});                       // overlong 2-byte
            seqs.add(new byte[] {(byte) 0xc1, (byte) b});
        }
        for (int b = 0x80; b <= 0x9f; b++) {
            seqs.add(new byte[] {(byte) 0xe0, (byte) b, (byte) 0xaf});          // overlong 3-byte
        }
        for (int b = 0x80; b <= 0x8f; b++) {
            seqs.add(new byte[] {(byte) 0xf0, (byte) b, (byte) 0x80, (byte) 0xaf}); // overlong 4-byte
        }
        for (int b = 0xa0; b <= 0xbf; b++) {
            seqs.add(new byte[] {(byte) 0xed, (byte) b, (byte) 0x80});          // UTF-16 surrogates
        }
        for (int b = 0x90; b <= 0xbf; b++) {
            seqs.add(new byte[] {(byte) 0xf4, (byte) b, (byte) 0x80, (byte) 0x80}); // above U+10FFFF
        }
        for (int b = 0xf5; b <= 0xff; b++) {
            seqs.add(new byte[] {(byte) b, (byte) 0x80, (byte) 0x80, (byte) 0x80}); // never in UTF-8
        }
        for (byte[] valid : new byte[][] {{(byte) 0xc2, (byte) 0xa9}, {(byte) 0xe0, (byte) 0xa0, (byte) 0x80},
                {(byte) 0xef, (byte) 0xbf, (byte) 0xbf}, {(byte) 0xf0, (byte) 0x90, (byte) 0x80, (byte) 0x80},
                {(byte) 0xf4, (byte) 0x8f, (byte) 0xbf, (byte) 0xbf}}) {
            for (int cut = 1; cut < valid.length; cut++) {
                seqs.add(java.util.Arrays.copyOf(valid, cut));                  // truncated
                byte[] broken = valid.clone();
                broken[cut] = 'A';
                seqs.add(broken);                                               // continuation replaced
            }
        }
        List<Case> cases = new ArrayList<>();
        for (byte[] seq : seqs) {
            String hex = HexFormat.of().formatHex(seq);
            cases.add(new Case("in string " + hex, concat("\"a".getBytes(StandardCharsets.US_ASCII), seq, "b\"".getBytes(StandardCharsets.US_ASCII))));
            cases.add(new Case("bare " + hex, seq));
        }
        return cases;
    }

    private static byte[] concat(byte[]... parts) {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.writeBytes(p);
        }
        return out.toByteArray();
    }

    private static TestServer.Reply post(String path, byte[] body) {
        return s.send(s.request(path).version(java.net.http.HttpClient.Version.HTTP_1_1)
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofByteArray(body)).build());
    }

    private static String snapshot() {
        return s.get("/v1/axons/" + id + "/events?limit=100").body() + s.get("/v1/axons/" + id).body()
                + s.get("/v1/axons?limit=1").json().get("total_count")
                + s.post("/v1/axons/" + id + "/sql/query", Map.of("sql", "SELECT * FROM kept")).json().get("rows");
    }

    @Test
    void jsonTestSuiteCasesAreRefusedByEveryRoute() throws IOException {
        Path file = jsonTestSuiteFile();
        Assumptions.assumeTrue(file != null, "JSONTestSuite data not found: put jsontestsuite-n-i.tsv in"
                + " shared/jsontestsuite/ beside the checkout, or set -Dmyelin.jsontestsuite=FILE");
        List<Case> cases = jsonTestSuite(file);
        assertThat(cases).hasSizeGreaterThan(200);
        assertThat(run(cases)).isEqualTo(cases.size() * bodiesPerCase());
    }

    @Test
    void malformedUtf8IsRefusedByEveryRoute() {
        List<Case> cases = invalidUtf8();
        assertThat(cases).hasSizeGreaterThan(300);
        assertThat(run(cases)).isEqualTo(cases.size() * bodiesPerCase());
    }

    /**
     * A generated grammar corpus, always available: every proper prefix of a valid body of each route (an object
     * cut anywhere is never valid JSON), and each value of a valid body replaced by text that RFC 8259 does not allow
     * there (the list below, one entry per kind of mistake).
     */
    static List<Case> invalidGrammar() {
        List<String> bad = List.of("", "'single'", "NaN", "Infinity", "-Infinity", "+1", "01", "1.", ".5", "1e", "0x10",
                "--1", "1.0e+", "tru", "nul", "True", "undefined", "\"unterminated", "\"bad escape \\x\"",
                "\"\\u12\"", "\"\\uD800\"", "\"\\uDC00\\uD800\"", "\"tab\there\"", "\"nl\nhere\"", "[1,]",
                "[,1]", "{\"a\":1,}", "{\"a\"}", "{\"a\" 1}", "{1:2}", "{\"a\":1 \"b\":2}", "[1 2]", "/* c */ 1",
                "1 // c", "[\"a\"]]", "{}}", "\"a\" \"b\"", "[" .repeat(1001) + "]".repeat(1001),
                "1" + "0".repeat(1001), "{\"k\":1,\"k\":2}");
        List<String> valid = List.of(
                "{\"name\":\"n\",\"metadata\":{\"k\":\"v\"}}",
                "{\"event_type\":\"t\",\"origin\":\"USER_EVENT\",\"source\":\"s\",\"payload\":\"p\"}",
                "{\"events\":[{\"event_type\":\"t\",\"origin\":\"USER_EVENT\",\"source\":\"s\",\"payload\":\"p\"}]}",
                "{\"sql\":\"SELECT ?\",\"params\":[1,\"two\",null,true]}",
                "{\"statements\":[{\"sql\":\"SELECT ?\",\"params\":[1.5]}]}");
        List<Case> cases = new ArrayList<>();
        for (String v : valid) {
            for (int cut = 1; cut < v.length(); cut++) {
                cases.add(new Case("prefix " + cut + " of " + v, v.substring(0, cut).getBytes(StandardCharsets.UTF_8)));
            }
        }
        for (String b : bad) {
            cases.add(new Case("value " + b, ("{\"name\":" + b + "}").getBytes(StandardCharsets.UTF_8)));
            cases.add(new Case("bare " + b, b.getBytes(StandardCharsets.UTF_8)));
        }
        return cases;
    }

    @Test
    void malformedJsonIsRefusedByEveryRoute() {
        List<Case> cases = invalidGrammar();
        assertThat(cases).hasSizeGreaterThan(300);
        assertThat(run(cases)).isEqualTo(cases.size() * bodiesPerCase());
    }

    private static int bodiesPerCase() {
        return routes().stream().mapToInt(r -> 1 + r.templates().size()).sum();
    }

    private int run(List<Case> cases) {
        String before = snapshot();
        int requests = 0;
        List<String> accepted = new ArrayList<>();
        for (Case c : cases) {
            for (Route route : routes()) {
                List<byte[]> bodies = new ArrayList<>();
                bodies.add(c.bytes());
                for (String template : route.templates()) {
                    String[] parts = template.split("%s", -1);
                    bodies.add(concat(parts[0].getBytes(StandardCharsets.US_ASCII), c.bytes(), parts[1].getBytes(StandardCharsets.US_ASCII)));
                }
                for (byte[] body : bodies) {
                    TestServer.Reply r = post(route.path(), body);
                    requests++;
                    if (r.status() < 400 || r.status() >= 500) {
                        accepted.add(r.status() + " " + route.path() + " " + c.name() + ": " + r.body());
                        continue;
                    }
                    assertThat(r.json().path("error").path("message").asText()).as(c.name()).isNotEmpty();
                }
            }
        }
        assertThat(accepted).as("accepted or 5xx").isEmpty();
        assertThat(snapshot()).isEqualTo(before);
        assertThat(s.send(HttpRequest.newBuilder(s.uri("/healthz")).build()).status()).isEqualTo(200);
        return requests;
    }
}
