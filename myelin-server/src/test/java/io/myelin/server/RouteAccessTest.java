package io.myelin.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.myelin.auth.Action;
import io.myelin.auth.ScopeName;
import io.myelin.server.http.Router;
import io.myelin.testkit.InjectServer;
import io.myelin.testkit.TestServer;
import io.myelin.testkit.WithMyelinServer;
import java.io.IOException;
import java.io.InputStream;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Every route the server registers (read from its router, so a new route is covered as soon as it exists) × every
 * scope × a key limited to one axon (asked about that axon and about another) and a key over every axon: a request
 * the scope does not allow gets exactly its refusal — 404 for an axon outside the key's limit (and for an intent the
 * key may not read), 403 otherwise — and an allowed one is never refused by access control nor answered 5xx.
 */
@Timeout(value = 300, unit = TimeUnit.SECONDS)
@WithMyelinServer({"sse.idle-timeout=10m", "devboxes.wait-timeout=1s"})
class RouteAccessTest {
    @InjectServer
    static TestServer s;

    /** One key and the axon and intent it is asked about. */
    record Target(String axon, String intent, boolean inGrant) {}

    @Test
    void everyRouteAnswersEveryScopeAsThePolicySays() throws Exception {
        String outside = s.createAxon("outside");
        String outsideIntent = intent(outside);
        step(outside);
        List<Router.Declared> routes = new ArrayList<>(s.server().routes().stream().filter(r -> r.action() != null)
                .toList());
        // Destructive routes last, so the axon, intent and key they act on serve every other route first.
        // Among deletes, the most specific path first: a step before the journal, the journal before its axon.
        routes.sort(Comparator.<Router.Declared>comparingInt(r -> r.method().equals("DELETE") ? 2
                : r.pattern().endsWith("/cancel") || r.pattern().endsWith("/resolve") ? 1 : 0)
                .thenComparing(r -> r.method().equals("DELETE") ? -r.pattern().length() : 0));
        List<String> failures = new ArrayList<>();
        int requests = 0;
        for (ScopeName scope : ScopeName.values()) {
            for (boolean limited : scope.serverWide() ? List.of(false) : List.of(true, false)) {
                String axon = s.createAxon(scope.wireName() + (limited ? "-limited" : "-everywhere"));
                step(axon);
                ScopedKeys.Key key = ScopedKeys.create(s, scope.wireName(), List.of(scope.wireName()),
                        limited ? List.of(axon) : null);
                List<Target> targets = new ArrayList<>(List.of(new Target(axon, intent(axon), true)));
                if (limited) {
                    targets.add(new Target(outside, outsideIntent, false));
                }
                for (Target t : targets) {
                    // A key the managing routes act on: one any keys:manage holder may manage.
                    String victim = ScopedKeys.create(s, "victim", List.of("keys:manage"), null).id();
                    for (Router.Declared route : routes) {
                        String path = route.pattern().replace("{intent_id}", t.intent()).replace("{key_id}", victim)
                                .replace("/v1/devboxes/{id}", "/v1/devboxes/dbx_none").replace("{id}", t.axon())
                                .replaceAll("\\{[a-z_]+}", "none"); // webhooks, deliveries: none exist
                        int status = status(key.secret(), route.method(), path, body(route));
                        requests++;
                        String failure = judge(route, scope, limited, t, status);
                        if (failure != null) {
                            failures.add(scope.wireName() + (limited ? " limited" : "") + (t.inGrant() ? "" : " (other axon)")
                                    + ": " + route.method() + " " + route.pattern() + " → " + status + "; " + failure);
                        }
                    }
                }
            }
        }
        assertThat(failures).as("of " + requests + " requests").isEmpty();
        assertThat(requests).isGreaterThan(routes.size() * ScopeName.values().length);
    }

    /** Null when {@code status} is what the policy says, else what is wrong with it. */
    private static String judge(Router.Declared route, ScopeName scope, boolean limited, Target t, int status) {
        Action action = route.action();
        boolean onAxon = route.pattern().contains("{id}") && route.pattern().startsWith("/v1/axons/")
                || route.pattern().contains("{intent_id}");
        boolean listing = action == Action.AXON_LIST || action == Action.DEVBOX_LIST || action == Action.INTENT_LIST;
        boolean granted = scope.actions().contains(action);
        boolean allowed = listing || granted && (onAxon ? t.inGrant() : !limited);
        if (status >= 500) {
            return "a server error";
        }
        if (status == 401) {
            return "the key was refused";
        }
        if (action.onOneDevbox()) {
            // No devbox exists: whoever asks, it is not found, or the body is refused before the devbox is looked
            // up (devbox access by mounts has tests of its own).
            return status == 404 || status == 400 ? null : "expected 404 for a devbox that does not exist";
        }
        if (allowed) {
            // Only axons and intents exist here; any other resource a path names may be not found.
            return status == 403 || status == 404 && onAxon ? "allowed, but refused" : null;
        }
        boolean intentHidden = route.pattern().contains("{intent_id}")
                && !(scope.actions().contains(Action.INTENT_READ) && t.inGrant());
        int expected = onAxon && (!t.inGrant() || intentHidden) ? 404 : 403;
        return status == expected ? null : "not allowed: expected " + expected;
    }

    /** The journal step the journal routes name ({@code {step}} becomes {@code none}), so a 404 there is a refusal. */
    private static void step(String axon) {
        TestServer.Reply r = s.send(s.request("/v1/axons/" + axon + "/journal/none").header("Content-Type",
                "application/json").PUT(java.net.http.HttpRequest.BodyPublishers.ofString("{\"result\":1}")).build());
        assertThat(r.status()).as(r.body()).isEqualTo(201);
    }

    private static String intent(String axon) {
        TestServer.Reply r = s.post("/v1/axons/" + axon + "/intents", Map.of("kind", "approval", "waiting_for", "human"));
        assertThat(r.status()).as(r.body()).isEqualTo(201);
        return r.json().get("id").asText();
    }

    /**
     * A body the route accepts where the route reads it before it checks access (an intent is found, and its axon
     * checked, after its resolution is read), so the refusal the test expects is the one it gets; {@code {}} elsewhere.
     */
    private static String body(Router.Declared route) {
        return route.pattern().endsWith("/resolve") ? "{\"outcome\":\"approved\"}" : "{}";
    }

    /** The status of one request; an SSE stream is closed as soon as its status is known. */
    private static int status(String secret, String method, String path, String json)
            throws IOException, InterruptedException {
        HttpRequest.Builder b = s.request(path).setHeader("Authorization", "Bearer " + secret);
        if (method.equals("POST") || method.equals("PUT")) {
            b.header("Content-Type", "application/json").method(method, HttpRequest.BodyPublishers.ofString(json));
        } else {
            b.method(method, HttpRequest.BodyPublishers.noBody());
        }
        HttpResponse<InputStream> r = s.http().send(b.build(), HttpResponse.BodyHandlers.ofInputStream());
        try (InputStream body = r.body()) {
            if (!r.headers().firstValue("content-type").orElse("").startsWith("text/event-stream")) {
                new String(body.readAllBytes(), StandardCharsets.UTF_8);
            }
        }
        return r.statusCode();
    }
}
