package io.myelin.stream;

/** Who produced an event. {@link #SYSTEM_EVENT} is written by the server only; clients may not publish it. */
public enum Origin {
    EXTERNAL_EVENT,
    AGENT_EVENT,
    USER_EVENT,
    SYSTEM_EVENT
}
