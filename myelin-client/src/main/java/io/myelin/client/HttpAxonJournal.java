package io.myelin.client;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/** {@link AxonJournal} over HTTP. Immutable, hence thread-safe. */
final class HttpAxonJournal implements AxonJournal {
    private final Transport transport;
    private final String path;

    HttpAxonJournal(Transport transport, String axonPath) {
        this.transport = transport;
        this.path = axonPath + "/journal";
    }

    @Override
    public Optional<JournalStep> find(String step) {
        try {
            return Optional.of(transport.get(step(step), new Query(), Wire.class).toStep());
        } catch (NotFoundException e) {
            if (stepMissing(e)) {
                return Optional.empty();
            }
            throw e;
        }
    }

    @Override
    public JournalStep record(String step, String resultJson, boolean failed) {
        Objects.requireNonNull(resultJson, "resultJson");
        Put body = new Put(json(resultJson, "resultJson"), failed ? "failed" : null);
        return transport.write("PUT", step(step), body, null, Wire.class).toStep();
    }

    @Override
    public JournalStep append(String step, List<String> chunksJson, boolean restart, Integer attempt) {
        List<JsonNode> chunks = new ArrayList<>(chunksJson.size());
        for (int i = 0; i < chunksJson.size(); i++) {
            chunks.add(json(chunksJson.get(i), "chunksJson[" + i + "]"));
        }
        return transport.write("POST", step(step) + "/chunks", new Append(chunks,
                restart ? Boolean.TRUE : null, attempt), null, Wire.class).toStep();
    }

    @Override
    public JournalStep complete(String step, String resultJson, Integer attempt) {
        Complete body = new Complete(resultJson == null ? null : json(resultJson, "resultJson"), attempt);
        return transport.write("POST", step(step) + "/complete", body, null, Wire.class).toStep();
    }

    @Override
    public JournalPage list(String prefix, int limit, String startingAfter) {
        WireList page = transport.get(path, new Query().add("prefix", prefix == null || prefix.isEmpty() ? null : prefix)
                .add("limit", limit).add("starting_after", startingAfter), WireList.class);
        List<JournalStep> steps = new ArrayList<>();
        page.steps().forEach(w -> steps.add(w.toStep()));
        return new JournalPage(steps, page.hasMore());
    }

    @Override
    public int forget(String prefix) {
        return transport.write("DELETE", path + new Query().add("prefix", prefix == null ? "" : prefix), null, null,
                Deleted.class).deleted();
    }

    @Override
    public boolean forgetStep(String step) {
        try {
            return transport.write("DELETE", step(step), null, null, Deleted.class).deleted() > 0;
        } catch (NotFoundException e) {
            if (stepMissing(e)) {
                return false;
            }
            throw e;
        }
    }

    /** A 404 about the step (the axon exists), as opposed to one about the axon. */
    private static boolean stepMissing(NotFoundException e) {
        return e.serverMessage() != null && e.serverMessage().startsWith("journal step not found");
    }

    private static JsonNode json(String text, String what) {
        try {
            return Json.MAPPER.readTree(text);
        } catch (java.io.IOException e) {
            throw new IllegalArgumentException(what + " is not JSON text: " + e.getMessage(), e);
        }
    }

    private String step(String step) {
        Objects.requireNonNull(step, "step");
        return path + "/" + Query.segment(step);
    }

    /** {@code PUT /journal/{step}}. */
    record Put(JsonNode result, String status) {}

    /** {@code POST /journal/{step}/chunks}. */
    record Append(List<JsonNode> chunks, Boolean restart, Integer attempt) {}

    /** {@code POST /journal/{step}/complete}. */
    record Complete(JsonNode result, Integer attempt) {}

    record Deleted(int deleted) {}

    record WireList(List<Wire> steps, boolean hasMore) {
        WireList {
            steps = steps == null ? List.of() : steps;
        }
    }

    /** A step on the wire: its result and chunks any JSON, kept as text here. */
    record Wire(String step, String status, JsonNode result, List<JsonNode> chunks, int chunkCount, int attempt,
                long recordedAtMs, boolean created) {
        JournalStep toStep() {
            List<String> texts = new ArrayList<>();
            if (chunks != null) {
                chunks.forEach(c -> texts.add(c.toString()));
            }
            return new JournalStep(step, status, result == null ? "null" : result.toString(),
                    texts, chunkCount, attempt, recordedAtMs, created);
        }
    }
}
