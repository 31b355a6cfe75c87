package io.myelin.testkit;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Runs the annotated test class against one real in-process server ({@link TestServer}), started before the class's
 * first test and closed, data dir deleted, after its last. Tests get it as a parameter of type {@link TestServer}
 * (constructor, {@code @BeforeAll}, {@code @BeforeEach}, {@code @Test} methods) or in a field annotated
 * {@link InjectServer}. {@code @Nested} classes share their enclosing class's server.
 *
 * <pre>{@code
 * @WithMyelinServer({"sse.idle-timeout=1s", "sse.heartbeat=300ms"})
 * class SubscriptionTest {
 *     @Test
 *     void replays(TestServer server) { ... }
 * }
 * }</pre>
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Inherited
@ExtendWith(MyelinServerExtension.class)
public @interface WithMyelinServer {
    /** Config overrides, each {@code key=value} with a setting key from README: Configuration. */
    String[] value() default {};
}
