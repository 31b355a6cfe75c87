package io.myelin.cli;

import io.myelin.client.Intent;
import io.myelin.client.IntentResolution;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.Locale;

/** How the command line prints one intent: aligned lines for people, the wire's JSON with {@code --json}. */
final class IntentView {
    private IntentView() {
    }

    static void print(Intent i, boolean json, PrintWriter out) {
        if (json) {
            out.println(CliJson.line(CliJson.wire(i)));
            return;
        }
        line(out, "id", i.id());
        line(out, "axon", i.axonId());
        line(out, "kind", i.kind());
        line(out, "waiting for", i.waitingFor().wireName());
        line(out, "status", i.status().wireName());
        line(out, "title", i.title());
        line(out, "assignee", i.assignee());
        line(out, "payload", i.payload() == null ? null : i.payload().toString());
        line(out, "created", TimeText.format(i.createdAtMs()));
        if (i.fireAtMs() != null) {
            line(out, "fires at", TimeText.format(i.fireAtMs()));
        }
        if (i.deadlineMs() != null) {
            String action = i.onDeadline() == null ? "" : " (then " + i.onDeadline().wireName()
                    + (i.escalateTo() == null ? "" : " to " + i.escalateTo()) + ")";
            line(out, "deadline", TimeText.format(i.deadlineMs()) + action);
        }
        if (i.remindEveryMs() != null) {
            line(out, "reminders", "every " + Duration.ofMillis(i.remindEveryMs()).toString().substring(2).toLowerCase(Locale.ROOT));
        }
        if (i.escalationLevel() > 0) {
            line(out, "escalated", i.escalationLevel() + (i.escalationLevel() == 1 ? " time" : " times"));
        }
        IntentResolution r = i.resolution();
        if (r != null) {
            line(out, "outcome", r.outcome().wireName() + " by " + r.resolvedBy() + " at " + TimeText.format(i.resolvedAtMs()));
            if (r.result() != null) {
                line(out, "result", r.result().toString());
            }
            if (r.comment() != null) {
                line(out, "comment", r.comment());
            }
        }
    }

    private static void line(PrintWriter out, String label, String value) {
        out.println(String.format("%-12s %s", label, value == null ? "" : value).stripTrailing());
    }
}
