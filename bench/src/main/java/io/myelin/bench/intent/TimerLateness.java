package io.myelin.bench.intent;

import com.fasterxml.jackson.databind.JsonNode;
import io.myelin.bench.http.HttpConnection;
import io.myelin.bench.stats.Percentiles;
import io.myelin.bench.workload.ParallelRequests;

import java.io.IOException;
import java.io.PrintStream;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;

/**
 * Part two of the intents workload: {@code time} intents whose {@code fire_at_ms} are spread evenly over a window,
 * all created before the window opens (it opens {@code lead} after the first create), then read back once the last
 * has fired. Lateness of one timer = its {@code resolved_at_ms} − its {@code fire_at_ms}, both the server's clock
 * (the same host's clock the bench used to choose the fire times). The fire rate is the timers fired divided by the
 * span from the first fire time to the last resolution: below {@code timers / spread}, the timers fell behind.
 */
final class TimerLateness {
    /** What was measured. {@code lateMs} is in milliseconds; {@code createdLate} counts timers created after their fire time. */
    record Result(int timers, Duration spread, Duration lead, double createSeconds, Percentiles lateMs, long minLateMs,
                  int fired, int notFired, int createdLate, double firedPerSecond) {}

    private TimerLateness() {}

    static Result run(IntentsWorkload.Settings s, String tag, double createRate, PrintStream out) throws Exception {
        List<String> axons = IntentsWorkload.createAxons(s.endpoint(), "bench-intents-timers-", s.timerAxons());
        String kind = tag + ".timer";
        Duration lead = s.timerLead() != null ? s.timerLead() : autoLead(s.timers(), createRate);
        long spread = s.timerSpread().toMillis();
        long first = System.currentTimeMillis() + lead.toMillis();
        String[] ids = new String[s.timers()];
        out.printf("intents: %,d time intents firing over %d s from %.1f s after the first create%n",
                s.timers(), s.timerSpread().toSeconds(), lead.toMillis() / 1000.0);
        ParallelRequests.Done created = ParallelRequests.run(s.endpoint(), s.timers(), s.connections(), (client, i) ->
                ids[i] = new IntentApi(client.connection()).create(axons.get(i % axons.size()),
                        IntentBodies.timer(kind, i, IntentBodies.fireAt(first, spread, i, s.timers()))));
        try (HttpConnection http = new HttpConnection(s.endpoint())) {
            IntentApi api = new IntentApi(http);
            awaitLast(api, ids[ids.length - 1], first + spread);
            return collect(api, kind, s.timers(), s.timerSpread(), lead, created.seconds());
        }
    }

    /**
     * Enough lead for every create to land before the window opens: twice what creating them took at the rate the
     * waiting part measured (or 2,000/s when it did not run), and at least 5 s.
     */
    static Duration autoLead(int timers, double createRate) {
        double rate = createRate > 0 ? createRate : 2000;
        return Duration.ofMillis(Math.max(5000, Math.round(2 * timers / rate * 1000)));
    }

    /** Long-polls the timer that fires last; timers fire in due order, so once it ended every other had. */
    private static void awaitLast(IntentApi api, String lastId, long lastFireMs) throws IOException {
        long giveUp = lastFireMs + 300_000;
        while (System.currentTimeMillis() < giveUp) {
            if (!"waiting".equals(api.get(lastId, 60_000).path("status").asText())) return;
        }
        throw new IOException("the last timer " + lastId + " had not fired 300 s after its fire time");
    }

    private static Result collect(IntentApi api, String kind, int timers, Duration spread, Duration lead,
                                  double createSeconds) throws IOException {
        long[] late = new long[timers];
        int n = 0;
        int fired = 0;
        int createdLate = 0;
        long firstFire = Long.MAX_VALUE;
        long lastResolved = Long.MIN_VALUE;
        String after = null;
        String base = "kind=" + URLEncoder.encode(kind, StandardCharsets.UTF_8) + "&limit=1000&include_total_count=false";
        while (true) {
            JsonNode page = api.list(base + (after == null ? "" : "&starting_after=" + after));
            for (JsonNode intent : page.path("intents")) {
                long fireAt = intent.path("fire_at_ms").asLong();
                if (intent.path("created_at_ms").asLong() > fireAt) createdLate++;
                firstFire = Math.min(firstFire, fireAt);
                if ("fired".equals(intent.path("resolution").path("outcome").asText(null))) {
                    fired++;
                    long resolved = intent.path("resolved_at_ms").asLong();
                    lastResolved = Math.max(lastResolved, resolved);
                    if (n < late.length) late[n++] = resolved - fireAt;
                }
                after = intent.path("id").asText();
            }
            if (!page.path("has_more").asBoolean()) break;
        }
        long[] sorted = Arrays.copyOf(late, n);
        Arrays.sort(sorted);
        double firedPerSecond = n == 0 || lastResolved <= firstFire ? Double.NaN : n * 1000.0 / (lastResolved - firstFire);
        return new Result(timers, spread, lead, createSeconds, Percentiles.ofSorted(sorted),
                n == 0 ? 0 : sorted[0], fired, timers - fired, createdLate, firedPerSecond);
    }
}
