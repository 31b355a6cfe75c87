package io.myelin.cli;

import io.myelin.client.Intent;
import io.myelin.client.IntentResolution;
import io.myelin.client.OnDeadline;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.Locale;

/** How the command line prints one intent: aligned lines for people, the wire's JSON with {@code --json}. */
final class IntentView {
    private IntentView() {
    }

    static void print(Intent i, boolean json, PrintWriter out) {
        if (json) {
            out.println(CliJson.line(CliJson.complete(i)));
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
            line(out, "deadline", TimeText.format(i.deadlineMs()) + afterDeadline(i));
        }
        if (i.remindEveryMs() != null) {
            line(out, "reminders", "every " + Duration.ofMillis(i.remindEveryMs()).toString().substring(2).toLowerCase(Locale.ROOT));
        }
        if (i.escalationLevel() > 0) {
            line(out, "escalated", i.escalationLevel() + (i.escalationLevel() == 1 ? " time" : " times"));
        }
        IntentResolution r = i.resolution();
        if (r != null) {
            line(out, "outcome", r.outcome().wireName() + " by " + r.resolvedBy()
                    + (r.resolvedByUser() == null ? "" : " for " + r.resolvedByUser()) + " at " + TimeText.format(i.resolvedAtMs()));
            if (r.result() != null) {
                line(out, "result", r.result().toString());
            }
            if (r.comment() != null) {
                line(out, "comment", r.comment());
            }
        }
    }

    /**
     * What the deadline will do: an intent escalates once, so after that its next deadline expires it whatever
     * {@code on_deadline} says.
     */
    private static String afterDeadline(Intent i) {
        if (i.onDeadline() == null) {
            return "";
        }
        if (i.onDeadline() == OnDeadline.ESCALATE && i.escalationLevel() >= 1) {
            return " (then " + OnDeadline.EXPIRE.wireName() + ")";
        }
        return " (then " + i.onDeadline().wireName() + (i.escalateTo() == null ? "" : " to " + i.escalateTo()) + ")";
    }

    private static void line(PrintWriter out, String label, String value) {
        out.println(String.format("%-12s %s", label, value == null ? "" : value).stripTrailing());
    }
}
