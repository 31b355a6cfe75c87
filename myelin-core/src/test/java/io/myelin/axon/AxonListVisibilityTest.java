package io.myelin.axon;

import static org.assertj.core.api.Assertions.assertThat;

import io.myelin.auth.AccessPolicy;
import io.myelin.auth.Action;
import io.myelin.auth.Caller;
import io.myelin.auth.Scope;
import io.myelin.storage.sqlite.SqliteStores;
import io.myelin.storage.sqlite.StorageOptions;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** {@link Axons#list} shows a caller only the axons {@link AccessPolicy#visible} grants it, over real storage. */
@Timeout(60)
class AxonListVisibilityTest {
    @TempDir
    Path dir;
    SqliteStores storage;
    Axons axons;

    @BeforeEach
    void open() {
        storage = SqliteStores.open(StorageOptions.defaults(dir));
        axons = Axons.load(storage.axons(), AxonLimits.DEFAULTS, new AccessPolicy());
    }

    @AfterEach
    void close() {
        storage.close();
    }

    static AxonFilter all(int limit, String after) {
        return new AxonFilter(null, null, null, null, null, after, limit, true);
    }

    static List<String> ids(AxonPage page) {
        return page.axons().stream().map(Axon::id).toList();
    }

    @Test
    void aCallerGrantedTwoAxonsListsOnlyThose() {
        String a = axons.create(Caller.SYSTEM, "one", Map.of("team", "x"), null).id();
        String b = axons.create(Caller.SYSTEM, "two", Map.of("team", "y"), null).id();
        String c = axons.create(Caller.SYSTEM, "three", Map.of("team", "x"), null).id();
        String d = axons.create(Caller.SYSTEM, "four", Map.of("team", "x"), null).id();
        Caller scoped = new Caller("key_scoped", Set.of(Scope.axon(b, Action.AXON_READ),
                Scope.axon(d, Action.AXON_READ, Action.EVENT_PUBLISH), Scope.axon(c, Action.EVENT_PUBLISH)), null, "req");

        AxonPage page = axons.list(scoped, all(10, null));
        assertThat(ids(page)).containsExactly(b, d);
        assertThat(page.totalCount()).isEqualTo(2);
        assertThat(page.hasMore()).isFalse();

        AxonPage first = axons.list(scoped, all(1, null));
        assertThat(ids(first)).containsExactly(b);
        assertThat(first.hasMore()).isTrue();
        AxonPage second = axons.list(scoped, all(1, b));
        assertThat(ids(second)).containsExactly(d);
        assertThat(second.hasMore()).isFalse();

        AxonPage filtered = axons.list(scoped, new AxonFilter(null, null, null, Map.of("team", "x"), null, null, 10, true));
        assertThat(ids(filtered)).as("filters apply within what is visible").containsExactly(d);
        assertThat(filtered.totalCount()).isEqualTo(1);

        AxonPage admin = axons.list(Caller.SYSTEM, all(10, null));
        assertThat(ids(admin)).containsExactly(a, b, c, d);
        assertThat(admin.totalCount()).isEqualTo(4);
    }

    @Test
    void aCallerThatMayReadNoAxonListsNone() {
        axons.create(Caller.SYSTEM, "hidden", Map.of(), null);
        Caller none = new Caller("key_none", Set.of(Scope.axon("axn_elsewhere", Action.EVENT_PUBLISH)), null, "req");
        AxonPage page = axons.list(none, all(10, null));
        assertThat(page.axons()).isEmpty();
        assertThat(page.totalCount()).isZero();
    }
}
