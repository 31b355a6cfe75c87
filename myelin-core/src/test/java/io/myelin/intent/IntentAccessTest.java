package io.myelin.intent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.myelin.auth.AccessPolicy;
import io.myelin.auth.Action;
import io.myelin.auth.Caller;
import io.myelin.auth.Scope;
import io.myelin.axon.AxonLimits;
import io.myelin.axon.Axons;
import io.myelin.concurrent.MemoryBudget;
import io.myelin.error.ErrorKind;
import io.myelin.error.MyelinException;
import io.myelin.storage.sqlite.SqliteStores;
import io.myelin.storage.sqlite.StorageOptions;
import io.myelin.stream.EventLog;
import io.myelin.stream.StreamLimits;
import java.nio.file.Path;
import java.time.InstantSource;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Who may see and resolve an intent, over real storage: an intent on an axon the caller may not read is the same
 * 404 as one that does not exist; reading without resolving is a 403 on resolve; a listing shows exactly the
 * intents on readable axons (filtered in SQL, counted the same way).
 */
@Timeout(60)
class IntentAccessTest {
    @TempDir
    Path dir;
    SqliteStores storage;
    EventLog events;
    Axons axons;
    Intents intents;

    @BeforeEach
    void open() {
        storage = SqliteStores.open(StorageOptions.defaults(dir));
        AccessPolicy policy = new AccessPolicy();
        axons = Axons.load(storage.axons(), AxonLimits.DEFAULTS, policy);
        events = new EventLog(storage.events(), storage.commits(), axons, StreamLimits.DEFAULTS);
        intents = new Intents(storage.intents(), axons.index(), events, policy, IntentLimits.DEFAULTS,
                InstantSource.system());
    }

    @AfterEach
    void close() {
        intents.close();
        events.close();
        storage.close();
    }

    private static Caller caller(Scope... scopes) {
        return new Caller("key_test", Set.of(scopes), "ana", null);
    }

    private String intentOn(String axon) {
        return intents.create(Caller.SYSTEM, axon, new IntentRequest("k", WaitingFor.HUMAN, null, null, null, null,
                null, null, null, null), null).id();
    }

    private static ErrorKind kindOf(Runnable r) {
        try {
            r.run();
            return null;
        } catch (MyelinException e) {
            return e.kind();
        }
    }

    @Test
    void callersSeeAndResolveOnlyWhatTheirScopesGrant() {
        String a = axons.create(Caller.SYSTEM, "a", Map.of(), null).id();
        String b = axons.create(Caller.SYSTEM, "b", Map.of(), null).id();
        String onA = intentOn(a);
        String onB = intentOn(b);
        Caller readsA = caller(Scope.axon(a, Action.INTENT_READ));
        Caller resolvesA = caller(Scope.axon(a, Action.INTENT_READ, Action.INTENT_RESOLVE));

        assertThat(intents.get(readsA, onA).id()).isEqualTo(onA);
        assertThat(kindOf(() -> intents.get(readsA, onB))).isEqualTo(ErrorKind.NOT_FOUND);
        assertThat(kindOf(() -> intents.get(resolvesA, "int_nosuchintent"))).isEqualTo(ErrorKind.NOT_FOUND);
        assertThat(kindOf(() -> intents.resolve(readsA, onA, Outcome.APPROVED, null, null, null)))
                .isEqualTo(ErrorKind.FORBIDDEN);
        assertThat(kindOf(() -> intents.cancel(resolvesA, onB, null, null))).isEqualTo(ErrorKind.NOT_FOUND);

        Intent done = intents.resolve(resolvesA, onA, Outcome.REJECTED, null, "no", null);
        assertThat(done.resolution().resolvedBy()).isEqualTo("key_test");
        assertThat(done.resolution().user()).isEqualTo("ana");
        assertThat(done.status()).isEqualTo(IntentStatus.COMPLETED);

        IntentFilter all = new IntentFilter(null, null, null, null, null, null, 100, true);
        try (MemoryBudget.Lease lease = MemoryBudget.unbounded().lease()) {
            IntentPage seen = intents.list(readsA, all, lease);
            assertThat(seen.intents()).extracting(Intent::id).containsExactly(onA);
            assertThat(seen.totalCount()).isEqualTo(1);
            assertThat(intents.list(caller(Scope.axon(a, Action.EVENT_READ)), all, lease).intents()).isEmpty();
            assertThat(intents.list(Caller.SYSTEM, all, lease).intents()).extracting(Intent::id)
                    .containsExactly(onA, onB);
        }
    }

    @Test
    void aSecondResolutionIsRefusedWithTheIntentAttached() {
        String a = axons.create(Caller.SYSTEM, "a", Map.of(), null).id();
        String id = intentOn(a);
        Intent first = intents.cancel(Caller.SYSTEM, id, "not needed", null);
        assertThatThrownBy(() -> intents.resolve(Caller.SYSTEM, id, Outcome.APPROVED, null, null, null))
                .isInstanceOfSatisfying(MyelinException.class, e -> {
                    assertThat(e.kind()).isEqualTo(ErrorKind.CONFLICT);
                    assertThat(e.attached().get("intent")).isEqualTo(IntentJson.view(first));
                    assertThat(e.getMessage()).contains("cancelled");
                });
    }
}
