package io.myelin.devbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.myelin.auth.AccessPolicy;
import io.myelin.auth.Action;
import io.myelin.auth.Caller;
import io.myelin.auth.Scope;
import io.myelin.axon.AxonLimits;
import io.myelin.axon.Axons;
import io.myelin.broker.BrokerProtocol;
import io.myelin.concurrent.MemoryBudget;
import io.myelin.error.ErrorKind;
import io.myelin.error.MyelinException;
import io.myelin.storage.sqlite.SqliteStores;
import io.myelin.storage.sqlite.StorageOptions;
import io.myelin.stream.EventLog;
import io.myelin.stream.StreamLimits;
import java.nio.file.Path;
import java.time.InstantSource;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Who may see and act on a devbox, over real storage and real processes: a caller granted devbox actions on some
 * axons reaches exactly the devboxes whose every mount is on one of them, in a listing (paged and counted in SQL)
 * and one by one; creating needs the right to publish on and subscribe to each mounted axon.
 */
@Timeout(60)
class DevboxAccessTest {
    @TempDir
    Path dir;
    SqliteStores storage;
    EventLog events;
    Devboxes devboxes;
    Axons axons;

    @BeforeEach
    void open() {
        storage = SqliteStores.open(StorageOptions.defaults(dir));
        AccessPolicy policy = new AccessPolicy();
        axons = Axons.load(storage.axons(), AxonLimits.DEFAULTS, policy);
        events = new EventLog(storage.events(), storage.commits(), axons, StreamLimits.DEFAULTS);
        DevboxOptions d = DevboxOptions.defaults(dir);
        DevboxOptions options = new DevboxOptions(d.root(), false, false, d.commandTimeout(), d.stopTimeout(),
                d.agentStartTimeout(), d.agentCancelTimeout(), d.waitTimeout(), d.maxActive(), Map.of("cat", new AgentBinary("cat", Path.of("/bin/cat"), List.of())),
                Map.of(), EnvironmentNames.NONE, d.idleCheckInterval());
        devboxes = Devboxes.start(storage.devboxes(), events, axons.index(), AxonLimits.DEFAULTS, policy,
                new CatBrokers(), new LocalDevboxHost(options.root()), options, InstantSource.system());
    }

    @AfterEach
    void close() {
        devboxes.close();
        events.close();
        storage.close();
    }

    private String devbox(String... mountedAxons) {
        List<BrokerMount> mounts = java.util.Arrays.stream(mountedAxons)
                .map(a -> new BrokerMount(a, BrokerProtocol.ACP, "cat", List.of(), null)).toList();
        return devboxes.create(Caller.SYSTEM, new DevboxSpec(null, Map.of(), null, Map.of(), null, mounts), null).id();
    }

    private String retired(String devboxId) {
        devboxes.shutdown(Caller.SYSTEM, devboxId);
        return devboxId;
    }

    private static List<String> ids(DevboxPage page) {
        return page.devboxes().stream().map(Devbox::id).toList();
    }

    @Test
    void aScopedCallerReachesTheDevboxesOfItsAxonsOnly() {
        String a = axons.create(Caller.SYSTEM, "a", null, null).id();
        String b = axons.create(Caller.SYSTEM, "b", null, null).id();
        String c = axons.create(Caller.SYSTEM, "c", null, null).id();
        // One live devbox brokers an axon at a time: each is shut down before the next mounts one of its axons
        // (a shut-down devbox is listed and read as any other).
        String onA = retired(devbox(a));
        String onAandC = retired(devbox(a, c));
        String none = devbox();
        String onB = retired(devbox(b));
        String onAandB = devbox(a, b);
        Caller scoped = new Caller("key_scoped", Set.of(Scope.axon(a, Action.DEVBOX_READ, Action.DEVBOX_CONTROL),
                Scope.axon(b, Action.DEVBOX_READ)), null, "req");

        DevboxPage page = devboxes.list(scoped, new DevboxFilter(null, null, 10, true), MemoryBudget.unbounded().lease());
        assertThat(ids(page)).containsExactly(onA, onB, onAandB);
        assertThat(page.totalCount()).isEqualTo(3);
        DevboxPage first = devboxes.list(scoped, new DevboxFilter(null, null, 1, false), MemoryBudget.unbounded().lease());
        assertThat(ids(first)).containsExactly(onA);
        assertThat(first.hasMore()).isTrue();
        assertThat(ids(devboxes.list(scoped, new DevboxFilter(null, onA, 10, false), MemoryBudget.unbounded().lease())))
                .containsExactly(onB, onAandB);
        assertThat(ids(devboxes.list(Caller.SYSTEM, new DevboxFilter(null, null, 10, true), MemoryBudget.unbounded().lease())))
                .containsExactly(onA, onAandC, none, onB, onAandB);

        assertThat(devboxes.get(scoped, onB).id()).isEqualTo(onB);
        for (String hidden : List.of(onAandC, none)) {
            assertThatThrownBy(() -> devboxes.get(scoped, hidden)).isInstanceOfSatisfying(MyelinException.class,
                    e -> assertThat(e.kind()).isEqualTo(ErrorKind.FORBIDDEN));
        }
        assertThatThrownBy(() -> devboxes.shutdown(scoped, onB)).as("read only on b")
                .isInstanceOfSatisfying(MyelinException.class, e -> assertThat(e.kind()).isEqualTo(ErrorKind.FORBIDDEN));
        assertThat(devboxes.shutdown(scoped, onA).status()).isEqualTo(DevboxStatus.SHUTDOWN);
    }

    @Test
    void creatingNeedsTheRightToPublishOnAndSubscribeToEachMountedAxon() {
        String a = axons.create(Caller.SYSTEM, "a", null, null).id();
        Caller creator = new Caller("key_creator", Set.of(new Scope(null, Set.of(Action.DEVBOX_CREATE)),
                Scope.axon(a, Action.EVENT_PUBLISH)), null, "req");
        DevboxSpec spec = new DevboxSpec(null, Map.of(), null, Map.of(), null,
                List.of(new BrokerMount(a, BrokerProtocol.ACP, "cat", List.of(), null)));
        assertThatThrownBy(() -> devboxes.create(creator, spec, null)).isInstanceOfSatisfying(MyelinException.class, e -> {
            assertThat(e.kind()).isEqualTo(ErrorKind.FORBIDDEN);
            assertThat(e.field()).isEqualTo("mounts[0].axon_id");
            assertThat(e.getMessage()).contains("EVENT_SUBSCRIBE");
        });
        Caller both = new Caller("key_both", Set.of(new Scope(null, Set.of(Action.DEVBOX_CREATE)),
                Scope.axon(a, Action.EVENT_PUBLISH, Action.EVENT_SUBSCRIBE)), null, "req");
        assertThat(devboxes.create(both, spec, null).status()).isEqualTo(DevboxStatus.PROVISIONING);
    }
}
