package io.myelin.storage.sqlite;

import io.myelin.axon.LiveAxon;
import io.myelin.error.ErrorKind;
import io.myelin.error.MyelinException;
import io.myelin.idempotency.RequestKey;
import io.myelin.stream.Appended;
import io.myelin.stream.Event;
import io.myelin.stream.EventDraft;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * Publishes one or more events to one axon as a contiguous run of sequences, inside the writer's group transaction
 * ({@link AxonAppender} writes them). With a {@link RequestKey}, a key already used in the axon's scope (earlier
 * in the same group, or stored within the retention window) answers the original run and writes nothing — provided
 * the request is the same; the same key with a different request is refused with 422 (see {@link KeyedWrite}).
 */
final class AppendOp extends KeyedWrite<List<Appended>> {
    /** Stored as {@code {"first_seq":F,"count":N,"ts":T}}: a run is contiguous and shares one timestamp. */
    static final ResultCodec<List<Appended>> CODEC = new ResultCodec<>() {
        @Override
        public byte[] encode(List<Appended> run) {
            return ("{\"first_seq\":" + run.get(0).sequence() + ",\"count\":" + run.size() + ",\"ts\":"
                    + run.get(0).timestampMs() + "}").getBytes(StandardCharsets.US_ASCII);
        }

        @Override
        public List<Appended> decode(byte[] stored) {
            try {
                JsonNode n = JSON.readTree(stored);
                long first = n.get("first_seq").asLong();
                long ts = n.get("ts").asLong();
                int count = n.get("count").asInt();
                List<Appended> out = new ArrayList<>(count);
                for (int i = 0; i < count; i++) {
                    out.add(new Appended(first + i, ts));
                }
                return out;
            } catch (java.io.IOException | RuntimeException e) {
                throw new MyelinException(ErrorKind.INTERNAL, null, "stored publish result is unreadable: "
                        + new String(stored, StandardCharsets.UTF_8), e);
            }
        }
    };
    private static final ObjectMapper JSON = new ObjectMapper();

    private final LiveAxon axon;
    private final List<EventDraft> drafts;
    private final AxonAppender appender;
    private List<Event> written = List.of();

    AppendOp(LiveAxon axon, List<EventDraft> drafts, RequestKey key, RequestKeyTable keys, AxonAppender appender) {
        super(keys, axon.id(), key, CODEC);
        this.axon = axon;
        this.drafts = drafts;
        this.appender = appender;
    }

    @Override
    public int weight() {
        return drafts.size();
    }

    @Override
    protected List<Appended> applyOnce(Connection c, WriteGroup group) throws SQLException {
        written = appender.append(c, group, axon, drafts);
        List<Appended> results = new ArrayList<>(written.size());
        for (Event e : written) {
            results.add(new Appended(e.sequence(), e.timestampMs()));
        }
        return results;
    }

    @Override
    protected void onCommitted() {
        if (!replayed()) {
            appender.committed(axon, written);
        }
    }
}
