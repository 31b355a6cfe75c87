package io.myelin.client;

import java.time.Duration;

/**
 * API keys: create keys with scopes (optionally limited to some axons, optionally expiring), list, rotate and
 * revoke them. Needs a key with {@code keys:manage} (or {@code admin}); a key grants at most what the managing key
 * holds. Obtain it from {@link MyelinClient#keys()}.
 *
 * <pre>{@code
 * IssuedKey ci = client.keys().create(NewKey.of("ci", "events:read").onlyAxons(List.of(axonId)));
 * // hand ci.secret() to the CI job; later:
 * IssuedKey next = client.keys().rotate(ci.key().id(), Duration.ofMinutes(10));
 * client.keys().revoke(ci.key().id());
 * }</pre>
 *
 * <p>Retries: {@link #create} and {@link #rotate} are sent once, never retried, since the server cannot tell a
 * retry from a second request (it keeps no secret to answer it with again). When one fails without an answer
 * ({@link MyelinConnectionException}), {@link #list} the keys: an unwanted new key is revoked, an unwanted rotation
 * is rotated again. {@link #revoke} is retried like any call: revoking twice is harmless. Threading: safe for
 * concurrent use by any number of threads.
 */
public interface Keys {
    /** Creates a key; the answer holds its secret, shown this once. */
    IssuedKey create(NewKey key);

    /** Every key, revoked ones included, oldest first, fetched page by page as the result is iterated. */
    Paged<ApiKey> list();

    /** Reads one key; {@link NotFoundException} when there is none with this id. */
    ApiKey get(String keyId);

    /** Gives the key a new secret; the old one keeps working for the server's {@code keys.rotation-grace}. */
    IssuedKey rotate(String keyId);

    /** Gives the key a new secret; the old one keeps working for {@code grace} ({@link Duration#ZERO}: stops now). */
    IssuedKey rotate(String keyId, Duration grace);

    /** Revokes the key at once, ending its open streams; the key as revoked. */
    ApiKey revoke(String keyId);
}
