package io.myelin.webhook;

import java.util.List;

/** A page of one webhook's deliveries, oldest first; {@code hasMore} when deliveries follow the last one. */
public record DeliveryPage(List<Delivery> deliveries, boolean hasMore) {}
