package io.myelin.auth;

/** Who a request is from: the name of the API key it presented and that key's role. */
public record Principal(String keyName, Role role) {}
