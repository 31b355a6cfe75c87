package io.myelin.stream;

/** An event as a publisher hands it in, before the writer gives it a sequence and a timestamp. */
public record EventDraft(String eventType, Origin origin, String source, String payload) {}
