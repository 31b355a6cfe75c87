package io.myelin.server.config;

/**
 * One configurable value. {@code key} is its name in the YAML file (dotted for nesting: {@code sse.idle-timeout}
 * is {@code sse: {idle-timeout: ...}}); the environment variable is derived from it ({@code MYELIN_SSE_IDLE_TIMEOUT}).
 */
public record Setting(String key, String defaultValue, String description) {

    public String envName() {
        return "MYELIN_" + key.toUpperCase(java.util.Locale.ROOT).replace('.', '_').replace('-', '_');
    }
}
