/**
 * The Myelin Java client: a small SDK for the Axon API over {@code java.net.http} and Jackson.
 *
 * <p>Start with {@link io.myelin.client.MyelinClient}: {@link io.myelin.client.MyelinClient#axons()} creates,
 * reads, updates, deletes and lists axons; {@link io.myelin.client.MyelinClient#axon(String)} gives an
 * {@link io.myelin.client.AxonHandle} that publishes events, reads history, opens resumable
 * {@link io.myelin.client.Subscription}s and runs SQL; {@link io.myelin.client.MyelinClient#intents()} creates,
 * lists, resolves and awaits intents (durable waits on people, tools, agents and time).
 *
 * <pre>{@code
 * try (MyelinClient client = MyelinClient.fromEnv()) {                 // MYELIN_URL, MYELIN_API_KEY
 *     AxonHandle axon = client.axon(client.axons().create("chat", Map.of()).id());
 *     try (Subscription sub = axon.subscribe(0)) {
 *         axon.publish(NewEvent.json("message", Origin.USER_EVENT, "app", Map.of("text", "hi")));
 *         AxonEvent first = sub.poll(Duration.ofSeconds(10)).orElseThrow();
 *     }
 * }
 * }</pre>
 *
 * <p>Values are records ({@link io.myelin.client.Axon}, {@link io.myelin.client.AxonEvent},
 * {@link io.myelin.client.SqlResult}, ...); failures are unchecked {@link io.myelin.client.MyelinException}s.
 * Everything is thread-safe except where a type says otherwise (a subscription has one reader).
 */
package io.myelin.client;
