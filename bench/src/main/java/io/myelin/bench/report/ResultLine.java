package io.myelin.bench.report;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.PrintStream;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One machine-readable result: a line {@code RESULT {...json...}} that scripts can grep for,
 * independent of the human table layout.
 */
public final class ResultLine {
    public static final String PREFIX = "RESULT ";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Map<String, Object> fields = new LinkedHashMap<>();

    public ResultLine(String workload) {
        fields.put("workload", workload);
    }

    public ResultLine put(String key, Object value) {
        // JSON has no NaN: an unmeasured figure is written as null.
        if (value instanceof Double d) value = Double.isFinite(d) ? Math.round(d * 1000.0) / 1000.0 : null;
        fields.put(key, value);
        return this;
    }

    public String render() {
        try {
            return PREFIX + JSON.writeValueAsString(fields);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    public void print(PrintStream out) {
        out.println(render());
    }
}
