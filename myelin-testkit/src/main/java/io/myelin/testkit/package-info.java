/**
 * Test fixtures shared by every module's tests: real servers, real processes, and waits with deadlines.
 *
 * <ul>
 *   <li>{@link io.myelin.testkit.TestServer}: a real server in the test JVM on a free loopback port, with its own
 *       data dir and admin key, and a small HTTP client; stop and restart on the same port and data dir.</li>
 *   <li>{@link io.myelin.testkit.WithMyelinServer} / {@link io.myelin.testkit.MyelinServerExtension}: the JUnit 5
 *       extension that gives a test class one such server, as a parameter or an {@link io.myelin.testkit.InjectServer}
 *       field, with config overrides on the annotation.</li>
 *   <li>{@link io.myelin.testkit.ServerProcess}: a real server in a child JVM (the runnable jar, or the test
 *       classpath) to kill with SIGKILL and restart on the same port and data dir.</li>
 *   <li>{@link io.myelin.testkit.Await}: waiting on a condition, latch or future with a deadline and a failure
 *       message that says what was seen last. Tests synchronise on conditions, never on sleeping.</li>
 * </ul>
 *
 * <h2>Where the kit sits in the build</h2>
 * The kit starts the server, so it depends on {@code myelin-server}; {@code myelin-client} and {@code myelin-cli}
 * use it as a test-scoped dependency. {@code myelin-server}'s own tests cannot: Maven orders modules by all their
 * dependencies, test scope included, so server → kit → server is a cycle the reactor refuses. Those tests compile
 * these same sources into their own test classes instead ({@code build-helper-maven-plugin}'s
 * {@code add-test-source} in {@code myelin-server/pom.xml}). So there is one copy of the fixture, compiled twice,
 * and the rule that follows: <b>this package may use only what {@code myelin-server}'s tests see</b> (the server,
 * the engine, Jackson, JUnit), which is why it uses neither AssertJ nor the Java client.
 *
 * <p>The same cycle decides where reading server-sent events lives. The one SSE parser is the Java client's
 * ({@code io.myelin.client.SseParser}); the client's tests need a server, so neither this kit nor the server's tests
 * can depend on the client. The server's SSE tests keep their own frame reader ({@code SseClient} in
 * {@code myelin-server}'s tests), which checks the wire format independently of the client under test;
 * everything above the server reads streams through the client.
 */
package io.myelin.testkit;
