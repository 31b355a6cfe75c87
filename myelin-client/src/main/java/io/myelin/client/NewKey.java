package io.myelin.client;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * What {@link Keys#create} asks for.
 *
 * <pre>{@code
 * NewKey.of("ci", "axons:read", "events:read").onlyAxons(List.of(axonId)).expiresAt(Instant.now().plus(Duration.ofDays(7)))
 * }</pre>
 *
 * @param name        1..128 characters
 * @param scopes      scope names, at least one ({@code admin}, {@code keys:manage}, {@code axons:read}, ...: README
 *                    "API keys and scopes")
 * @param axonIds     the only axons the key may act on, or {@code null} for every axon
 * @param expiresAtMs when it stops working (milliseconds since the epoch), or {@code null} for never
 */
public record NewKey(String name, List<String> scopes, List<String> axonIds, Long expiresAtMs) {
    public NewKey {
        Objects.requireNonNull(name, "name");
        scopes = List.copyOf(scopes);
        axonIds = axonIds == null ? null : List.copyOf(axonIds);
    }

    /** A key named {@code name} with {@code scopes} on every axon, never expiring. */
    public static NewKey of(String name, String... scopes) {
        return new NewKey(name, List.of(scopes), null, null);
    }

    /** This key limited to {@code axonIds}. */
    public NewKey onlyAxons(List<String> axonIds) {
        return new NewKey(name, scopes, axonIds, expiresAtMs);
    }

    /** This key expiring at {@code when}. */
    public NewKey expiresAt(Instant when) {
        return new NewKey(name, scopes, axonIds, when.toEpochMilli());
    }
}
