package io.myelin.cli;

import io.myelin.client.AxonEvent;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;

/** How one event is shown: a JSON line in the wire shape, or a compact human line. */
final class EventFormat {
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss.SSS").withZone(ZoneId.systemDefault());

    private EventFormat() {
    }

    static String time(AxonEvent e) {
        return TIME.format(Instant.ofEpochMilli(e.timestampMs()));
    }

    static String format(AxonEvent e, boolean json) {
        if (json) {
            return CliJson.line(CliJson.wire(e));
        }
        return "#" + e.sequence() + "  " + time(e) + "  " + e.origin()
                + "  " + e.source() + "  " + e.eventType() + "  " + e.payload().replace('\n', ' ');
    }
}
