package io.myelin.webhook;

import java.util.List;

/** A page of webhooks in creation order; {@code hasMore} when webhooks follow the last one. */
public record WebhookPage(List<Webhook> webhooks, boolean hasMore) {}
