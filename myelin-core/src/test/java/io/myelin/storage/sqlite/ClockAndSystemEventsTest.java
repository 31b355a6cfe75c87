package io.myelin.storage.sqlite;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.myelin.auth.AccessPolicy;
import io.myelin.auth.Caller;
import io.myelin.axon.AxonLimits;
import io.myelin.axon.Axons;
import io.myelin.error.MyelinException;
import io.myelin.stream.Appended;
import io.myelin.stream.Event;
import io.myelin.stream.EventDraft;
import io.myelin.stream.EventLog;
import io.myelin.stream.Origin;
import io.myelin.stream.StreamLimits;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Every stored timestamp comes from the injected clock; only the server appends SYSTEM_EVENTs. */
@Timeout(60)
class ClockAndSystemEventsTest {
    @TempDir
    Path dir;
    final AtomicReference<Instant> now = new AtomicReference<>(Instant.parse("2030-01-02T03:04:05Z"));
    SqliteStores storage;
    Axons axons;
    EventLog log;

    @BeforeEach
    void open() {
        StorageOptions d = StorageOptions.defaults(dir);
        InstantSource clock = now::get;
        storage = SqliteStores.open(new StorageOptions(d.dataDir(), d.readThreads(), d.readQueue(), d.readTimeout(),
                d.writeQueue(), d.writeTimeout(), d.maxGroupWeight(), clock));
        axons = Axons.load(storage.axons(), AxonLimits.DEFAULTS, new AccessPolicy());
        log = new EventLog(storage.events(), storage.commits(), axons, StreamLimits.DEFAULTS);
    }

    @AfterEach
    void close() {
        log.close();
        storage.close();
    }

    @Test
    void timestampsComeFromTheInjectedClock() {
        String id = axons.create(Caller.SYSTEM, "clock", null, null).id();
        assertThat(axons.get(Caller.SYSTEM, id).createdAtMs()).isEqualTo(now.get().toEpochMilli());
        now.set(now.get().plus(Duration.ofDays(400)));
        Appended a = log.publish(Caller.SYSTEM, id, new EventDraft("t", Origin.USER_EVENT, "s", "p"), null);
        assertThat(a.timestampMs()).isEqualTo(now.get().toEpochMilli());
        assertThat(log.history(Caller.SYSTEM, id, null, 1, false).events().get(0).timestampMs()).isEqualTo(now.get().toEpochMilli());
    }

    @Test
    void onlyTheServerAppendsSystemEvents() {
        String id = axons.create(Caller.SYSTEM, "system", null, null).id();
        assertThatThrownBy(() -> log.publish(Caller.SYSTEM, id, new EventDraft("turn.started", Origin.SYSTEM_EVENT, "cli", "{}"), null))
                .isInstanceOfSatisfying(MyelinException.class, e -> assertThat(e.field()).isEqualTo("origin"));
        log.publishSystem(id, "turn.started", "{\"turn_id\":\"t1\"}");
        Event e = log.history(Caller.SYSTEM, id, null, 1, false).events().get(0);
        assertThat(e.origin()).isEqualTo(Origin.SYSTEM_EVENT);
        assertThat(e.source()).isEqualTo("myelin");
        assertThat(e.eventType()).isEqualTo("turn.started");
        assertThat(e.payload()).isEqualTo("{\"turn_id\":\"t1\"}");
    }
}
