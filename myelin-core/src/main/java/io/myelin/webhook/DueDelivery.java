package io.myelin.webhook;

import io.myelin.stream.Event;

/**
 * A webhook's oldest pending delivery, with what an attempt needs: the target, the signing secret and the event.
 *
 * @param event the event reported, or null when it no longer exists (its axon was deleted and purged)
 */
public record DueDelivery(Delivery delivery, String url, String secret, Event event) {}
