package io.myelin.client.journal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * The one {@link Journal}: the rules (replay a record, run and record otherwise, first writer wins, a stream replays
 * whole or re-runs whole) over a {@link Backend}, with Jackson between values and stored JSON. Thread-safe when its
 * backend is.
 */
final class StepJournal implements Journal {
    /** A stream's chunks go to the backend in batches of this many (or {@link #FLUSH_CHARS} of JSON text). */
    static final int FLUSH_CHUNKS = 64;
    static final int FLUSH_CHARS = 64 * 1024;
    private static final ObjectMapper JSON = new ObjectMapper()
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    private final Backend backend;

    StepJournal(Backend backend) {
        this.backend = backend;
    }

    @Override
    public <T> T step(String session, String name, Class<T> type, StepBody<? extends T> body) {
        return step(session, name, JSON.constructType(type), body);
    }

    @Override
    public <T> T step(String session, String name, TypeReference<T> type, StepBody<? extends T> body) {
        return step(session, name, JSON.getTypeFactory().constructType(type), body);
    }

    private <T> T step(String session, String name, JavaType type, StepBody<? extends T> body) {
        check(session, name);
        Objects.requireNonNull(body, "body");
        StoredStep stored = backend.find(session, name);
        if (stored != null && stored.sealed()) {
            return replay(name, stored, type);
        }
        T value = run(name, body);
        StoredStep standing = backend.record(session, name, false, text(value));
        return standing.created() ? value : replay(name, standing, type);
    }

    @Override
    public <T> List<T> streamStep(String session, String name, Class<T> chunkType, StreamBody<T> body,
                                  Consumer<? super T> sink) {
        check(session, name);
        Objects.requireNonNull(body, "body");
        Objects.requireNonNull(sink, "sink");
        StoredStep stored = backend.find(session, name);
        if (stored == null || !stored.sealed()) {
            stored = backend.begin(session, name);
        }
        if (stored.sealed()) {
            return replayChunks(session, name, stored, chunkType, sink);
        }
        int attempt = stored.attempt();
        List<T> emitted = new ArrayList<>();
        List<String> pending = new ArrayList<>();
        int[] pendingChars = {0};
        StreamBody<T> work = body;
        run(name, () -> {
            work.run(chunk -> {
                String text = text(chunk);
                emitted.add(chunk);
                pending.add(text);
                pendingChars[0] += text.length();
                if (pending.size() >= FLUSH_CHUNKS || pendingChars[0] >= FLUSH_CHARS) {
                    backend.append(session, name, attempt, List.copyOf(pending));
                    pending.clear();
                    pendingChars[0] = 0;
                }
                sink.accept(chunk);
            });
            return null;
        });
        if (!pending.isEmpty()) {
            backend.append(session, name, attempt, List.copyOf(pending));
        }
        StoredStep done = backend.complete(session, name, attempt);
        if (done.created()) {
            return emitted;
        }
        StoredStep standing = backend.find(session, name);
        return decodeChunks(name, standing == null ? done : standing, chunkType);
    }

    @Override
    public boolean fail(String session, String name, Object error) {
        check(session, name);
        return backend.record(session, name, true, text(error)).created();
    }

    @Override
    public int forget(String session, String prefix) {
        Objects.requireNonNull(session, "session");
        Objects.requireNonNull(prefix, "prefix");
        return backend.forget(session, prefix);
    }

    @Override
    public void close() {
        backend.close();
    }

    private <T> List<T> replayChunks(String session, String name, StoredStep sealed, Class<T> type,
                                     Consumer<? super T> sink) {
        StoredStep whole = sealed.chunks() != null ? sealed : backend.find(session, name);
        List<T> chunks = decodeChunks(name, whole, type);
        chunks.forEach(sink);
        return chunks;
    }

    private <T> List<T> decodeChunks(String name, StoredStep s, Class<T> type) {
        if (s.failed()) {
            throw new StepFailedException(name, s.result());
        }
        List<T> out = new ArrayList<>();
        for (String chunk : s.chunks() == null ? List.<String>of() : s.chunks()) {
            out.add(read(name, chunk, JSON.constructType(type)));
        }
        return out;
    }

    private static <T> T replay(String name, StoredStep s, JavaType type) {
        if (s.failed()) {
            throw new StepFailedException(name, s.result());
        }
        return read(name, s.result(), type);
    }

    private static <T> T read(String name, String json, JavaType type) {
        try {
            return JSON.readValue(json, type);
        } catch (JsonProcessingException e) {
            throw new JournalException("the recorded result of step " + name + " does not read as " + type + ": "
                    + e.getOriginalMessage(), e);
        }
    }

    private static String text(Object value) {
        try {
            return JSON.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new JournalException("cannot record " + value.getClass().getName() + " as JSON: "
                    + e.getOriginalMessage(), e);
        }
    }

    /** Runs a body: what it throws unchecked reaches the caller as it is, a checked exception wrapped. */
    private static <T> T run(String name, StepBody<T> body) {
        try {
            return body.run();
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new StepBodyException(name, e);
        }
    }

    private static void check(String session, String name) {
        Objects.requireNonNull(session, "session");
        Objects.requireNonNull(name, "name");
        if (name.isEmpty()) {
            throw new IllegalArgumentException("a step needs a name");
        }
    }
}
