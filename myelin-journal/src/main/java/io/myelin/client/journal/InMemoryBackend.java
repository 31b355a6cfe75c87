package io.myelin.client.journal;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** {@link Backend} in a map of this process: one lock, every call atomic. Nothing survives the process. */
final class InMemoryBackend implements Backend {
    private final Map<Key, Row> rows = new HashMap<>();

    private record Key(String session, String step) {}

    private static final class Row {
        boolean sealed;
        boolean failed;
        String result = "null";
        List<String> chunks = new ArrayList<>();
        int attempt;

        StoredStep view(boolean created) {
            return new StoredStep(sealed, failed, result, List.copyOf(chunks), attempt, created);
        }
    }

    @Override
    public synchronized StoredStep find(String session, String step) {
        Row row = rows.get(new Key(session, step));
        return row == null ? null : row.view(false);
    }

    @Override
    public synchronized StoredStep record(String session, String step, boolean failed, String resultJson) {
        Row row = rows.computeIfAbsent(new Key(session, step), k -> new Row());
        if (row.sealed) {
            return row.view(false);
        }
        row.sealed = true;
        row.failed = failed;
        row.result = resultJson;
        row.chunks.clear();
        return row.view(true);
    }

    @Override
    public synchronized StoredStep begin(String session, String step) {
        Row row = rows.computeIfAbsent(new Key(session, step), k -> new Row());
        if (!row.sealed) {
            row.attempt++;
            row.chunks.clear();
        }
        return row.view(false);
    }

    @Override
    public synchronized void append(String session, String step, int attempt, List<String> chunksJson) {
        current(session, step, attempt).chunks.addAll(chunksJson);
    }

    @Override
    public synchronized StoredStep complete(String session, String step, int attempt) {
        Row row = rows.get(new Key(session, step));
        if (row != null && row.sealed) {
            return row.view(false);
        }
        row = current(session, step, attempt);
        row.sealed = true;
        return row.view(true);
    }

    @Override
    public synchronized int forget(String session, String prefix) {
        int before = rows.size();
        rows.keySet().removeIf(k -> k.session().equals(session) && k.step().startsWith(prefix));
        return before - rows.size();
    }

    @Override
    public void close() {
        // nothing held
    }

    private Row current(String session, String step, int attempt) {
        Row row = rows.get(new Key(session, step));
        if (row == null || row.sealed || row.attempt != attempt) {
            throw new JournalConflictException("step " + step + " of session " + session + " is no longer at stream"
                    + " attempt " + attempt + ": another writer restarted, completed or forgot it", null);
        }
        return row;
    }
}
