package io.myelin.client;

import java.util.List;
import java.util.Objects;

/**
 * An API key as the server describes it ({@code GET /v1/keys/{id}}): never its secret.
 *
 * @param id                     stable identifier ({@code key_...}), kept across rotations
 * @param name                   what its creator calls it
 * @param scopes                 its scope names ({@code axons:read}, ...)
 * @param axonIds                the only axons it may act on, or {@code null} for every axon
 * @param expiresAtMs            when it stops working (milliseconds since the epoch), or {@code null} for never
 * @param createdAtMs            when it was created
 * @param revokedAtMs            when it was revoked, or {@code null}
 * @param previousKeyExpiresAtMs until when its secret from before the last rotation still works, or {@code null}
 */
public record ApiKey(String id, String name, List<String> scopes, List<String> axonIds, Long expiresAtMs,
                     long createdAtMs, Long revokedAtMs, Long previousKeyExpiresAtMs) {
    public ApiKey {
        Objects.requireNonNull(id, "id");
        scopes = scopes == null ? List.of() : List.copyOf(scopes);
        axonIds = axonIds == null ? null : List.copyOf(axonIds);
    }
}
