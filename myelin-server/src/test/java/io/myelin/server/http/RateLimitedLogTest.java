package io.myelin.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.slf4j.LoggerFactory;

@Timeout(10)
class RateLimitedLogTest {
    @Test
    void aFloodBecomesOneLine() {
        Logger logger = (Logger) LoggerFactory.getLogger("rate-limited-log-test");
        ListAppender<ILoggingEvent> lines = new ListAppender<>();
        lines.start();
        logger.addAppender(lines);
        RateLimitedLog limited = new RateLimitedLog(3_600_000_000_000L);
        for (int i = 0; i < 100; i++) {
            limited.warn(logger, "shed {}", i);
        }
        assertThat(lines.list).extracting(ILoggingEvent::getFormattedMessage).containsExactly("shed 0");
    }
}
