package io.myelin.auth;

/** What a key may do. Only ADMIN exists today; scoped roles and per-axon grants extend {@link AccessPolicy}. */
public enum Role {
    ADMIN
}
