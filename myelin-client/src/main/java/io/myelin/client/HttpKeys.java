package io.myelin.client;

import java.time.Duration;
import java.util.Objects;

/** {@link Keys} over HTTP. Stateless apart from the shared transport, hence thread-safe. */
final class HttpKeys implements Keys {
    private static final int PAGE_SIZE = 100;

    private final Transport transport;

    HttpKeys(Transport transport) {
        this.transport = transport;
    }

    /** Create and rotate answers: the key's fields and {@code key}, the secret. */
    record Issued(String id, String name, java.util.List<String> scopes, java.util.List<String> axonIds,
                  Long expiresAtMs, long createdAtMs, Long revokedAtMs, Long previousKeyExpiresAtMs, String key) {
        IssuedKey issued() {
            return new IssuedKey(new ApiKey(id, name, scopes, axonIds, expiresAtMs, createdAtMs, revokedAtMs,
                    previousKeyExpiresAtMs), key);
        }
    }

    @Override
    public IssuedKey create(NewKey key) {
        Objects.requireNonNull(key, "key");
        return transport.writeOnce("POST", "/v1/keys", key, Issued.class).issued();
    }

    @Override
    public Paged<ApiKey> list() {
        return new CursorPager<ApiKey, String>(cursor -> {
            WireTypes.KeyList page = transport.get("/v1/keys",
                    new Query().add("limit", PAGE_SIZE).add("starting_after", cursor), WireTypes.KeyList.class);
            return new CursorPager.Page<>(page.keys(), page.hasMore());
        }, ApiKey::id);
    }

    @Override
    public ApiKey get(String keyId) {
        return transport.get(path(keyId), new Query(), ApiKey.class);
    }

    @Override
    public IssuedKey rotate(String keyId) {
        return transport.writeOnce("POST", path(keyId) + "/rotate", new WireTypes.Rotate(null), Issued.class).issued();
    }

    @Override
    public IssuedKey rotate(String keyId, Duration grace) {
        return transport.writeOnce("POST", path(keyId) + "/rotate", new WireTypes.Rotate(grace.toMillis()),
                Issued.class).issued();
    }

    @Override
    public ApiKey revoke(String keyId) {
        return transport.write("DELETE", path(keyId), null, null, ApiKey.class);
    }

    private static String path(String keyId) {
        Objects.requireNonNull(keyId, "keyId");
        return "/v1/keys/" + Query.segment(keyId);
    }
}
