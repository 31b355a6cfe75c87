package io.myelin.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;

import io.myelin.broker.BrokerLifecycles;
import io.myelin.devbox.DevboxLifecycle;
import io.myelin.intent.IntentLifecycle;
import io.myelin.stream.Subscription;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Renders every lifecycle's {@link TransitionTable} as a diagram into {@code docs/lifecycles.md}. The file is
 * rewritten from the tables on every run; the test fails when that changed it, so a changed table cannot be
 * committed with a stale diagram (commit the rewritten file).
 */
@Timeout(10)
class LifecycleDiagramsTest {
    /** Every lifecycle the engine declares; a new one is added here. */
    static final List<TransitionTable<?, ?>> ALL = List.of(Subscription.LIFECYCLE, BrokerLifecycles.TURN,
            BrokerLifecycles.AGENT, DevboxLifecycle.TABLE, IntentLifecycle.TABLE);

    static final Path DOC = Path.of("..", "docs", "lifecycles.md");

    static String render() {
        StringBuilder b = new StringBuilder("""
                # Lifecycles

                Generated from the transition tables in the code by `LifecycleDiagramsTest` (myelin-core): do not edit
                by hand. Every transition not drawn here is refused at run time (`IllegalTransitionException`).
                """);
        for (TransitionTable<?, ?> t : ALL) {
            b.append("\n## ").append(t.name()).append("\n\n```mermaid\n").append(t.mermaid()).append("```\n");
        }
        return b.toString();
    }

    @Test
    void docsShowEveryTableAsItIs() throws Exception {
        String rendered = render();
        String committed = Files.exists(DOC) ? Files.readString(DOC, StandardCharsets.UTF_8) : "";
        if (!committed.equals(rendered)) {
            Files.writeString(DOC, rendered, StandardCharsets.UTF_8);
        }
        assertThat(committed).as(DOC.normalize() + " was stale and has been rewritten from the tables: commit it")
                .isEqualTo(rendered);
    }
}
