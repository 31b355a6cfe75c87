package io.myelin.bench.sse;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class SseParserTest {

    private static List<SseEvent> parse(String text) {
        SseParser parser = new SseParser();
        List<SseEvent> events = new ArrayList<>();
        for (String line : text.split("\r?\n", -1)) {
            SseEvent e = parser.accept(line);
            if (e != null) events.add(e);
        }
        return events;
    }

    @Test
    void parsesIdAndDataFrames() {
        List<SseEvent> events = parse("id: 1\ndata: {\"sequence\":1}\n\nid: 2\ndata: {\"sequence\":2}\n\n");
        assertThat(events).containsExactly(
                new SseEvent("1", null, "{\"sequence\":1}"),
                new SseEvent("2", null, "{\"sequence\":2}"));
    }

    @Test
    void commentsAreHeartbeatsNotEvents() {
        SseParser parser = new SseParser();
        assertThat(parser.accept(": ping")).isNull();
        assertThat(parser.accept("")).isNull();
        assertThat(parser.comments()).isEqualTo(1);
    }

    @Test
    void namedErrorEventsAreRecognised() {
        List<SseEvent> events = parse("event: error\ndata: {\"code\":408,\"message\":\"idle\"}\n\n");
        assertThat(events).hasSize(1);
        assertThat(events.getFirst().isError()).isTrue();
        assertThat(events.getFirst().data()).isEqualTo("{\"code\":408,\"message\":\"idle\"}");
    }

    @Test
    void multipleDataLinesJoinWithNewlines() {
        assertThat(parse("data: a\ndata:b\ndata:  c\n\n")).containsExactly(new SseEvent(null, null, "a\nb\n c"));
    }

    @Test
    void idPersistsAcrossEventsAndEventTypeDoesNot() {
        List<SseEvent> events = parse("id: 7\nevent: custom\ndata: x\n\ndata: y\n\n");
        assertThat(events).containsExactly(new SseEvent("7", "custom", "x"), new SseEvent("7", null, "y"));
    }

    @Test
    void crlfLineEndingsAndFieldsWithoutValuesWork() {
        assertThat(parse("id: 3\r\ndata\r\n\r\n")).containsExactly(new SseEvent("3", null, ""));
    }

    @Test
    void aBlankLineWithoutDataDispatchesNothing() {
        assertThat(parse("id: 5\nevent: x\n\n")).isEmpty();
    }
}
