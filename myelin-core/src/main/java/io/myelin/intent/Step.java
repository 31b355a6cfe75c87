package io.myelin.intent;

/**
 * One change of an intent, decided by {@link IntentRules} and stored by {@link IntentStore#change} together with its
 * event: the intent after the change, and the {@code intent.*} event type that tells the axon.
 */
public record Step(Intent next, String eventType) {}
