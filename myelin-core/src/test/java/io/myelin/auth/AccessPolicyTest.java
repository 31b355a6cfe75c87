package io.myelin.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.myelin.error.ErrorKind;
import io.myelin.error.MyelinException;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(10)
class AccessPolicyTest {
    final AccessPolicy policy = new AccessPolicy();

    static Caller caller(Scope... scopes) {
        return new Caller("key_test", Set.of(scopes), null, "req-1");
    }

    @Test
    void anAdminMayDoEverythingAndSeesEveryAxon() {
        Caller admin = caller(Scope.ADMIN);
        for (Action a : Action.values()) {
            policy.check(admin, a, null);
            policy.check(admin, a, "axn_any");
        }
        assertThat(policy.visible(admin)).isEqualTo(AxonVisibility.ALL);
        assertThat(policy.visible(Caller.SYSTEM)).isEqualTo(AxonVisibility.ALL);
    }

    @Test
    void webhooksAreServerWide() {
        Caller c = caller(Scope.axon("axn_a", Action.WEBHOOK_READ, Action.WEBHOOK_MANAGE));
        for (Action a : List.of(Action.WEBHOOK_READ, Action.WEBHOOK_MANAGE)) {
            assertThatThrownBy(() -> policy.check(c, a, null)).isInstanceOfSatisfying(MyelinException.class,
                    e -> assertThat(e.kind()).isEqualTo(ErrorKind.FORBIDDEN));
            policy.check(caller(new Scope(null, Set.of(a))), a, null);
        }
    }

    @Test
    void aGrantOnOneAxonAllowsItsActionsThereOnly() {
        Caller c = caller(Scope.axon("axn_a", Action.AXON_READ, Action.EVENT_PUBLISH));
        policy.check(c, Action.AXON_READ, "axn_a");
        policy.check(c, Action.EVENT_PUBLISH, "axn_a");
        assertThatThrownBy(() -> policy.check(c, Action.AXON_DELETE, "axn_a"))
                .isInstanceOfSatisfying(MyelinException.class, e -> {
                    assertThat(e.kind()).isEqualTo(ErrorKind.FORBIDDEN);
                    assertThat(e.getMessage()).isEqualTo("key key_test may not AXON_DELETE on axn_a (needs scope axons:write)");
                });
        assertThatThrownBy(() -> policy.check(c, Action.AXON_READ, "axn_b")).isInstanceOf(MyelinException.class);
        assertThatThrownBy(() -> policy.check(c, Action.AXON_CREATE, null))
                .as("server-wide actions need a grant over every axon").isInstanceOf(MyelinException.class);
        assertThatThrownBy(() -> policy.check(c, Action.SERVER_METRICS, null)).isInstanceOf(MyelinException.class);
        policy.check(c, Action.AXON_LIST, null); // allowed; the listing shows only what it may read
    }

    @Test
    void visibilityIsTheAxonsTheCallerMayRead() {
        Caller c = caller(Scope.axon("axn_a", Action.AXON_READ), Scope.axon("axn_b", Action.AXON_READ, Action.SQL_QUERY),
                Scope.axon("axn_c", Action.EVENT_PUBLISH));
        assertThat(policy.visible(c)).isEqualTo(AxonVisibility.only(Set.of("axn_a", "axn_b")));
        assertThat(policy.visible(caller(Scope.axon("axn_c", Action.EVENT_PUBLISH))).ids()).isEmpty();
        assertThat(policy.visible(caller(new Scope(null, Set.of(Action.AXON_READ))))).isEqualTo(AxonVisibility.ALL);
    }

    @Test
    void aDevboxIsForWhoeverMayActOnEveryAxonItMounts() {
        Caller c = caller(Scope.axon("axn_a", Action.DEVBOX_READ, Action.DEVBOX_CONTROL), Scope.axon("axn_b", Action.DEVBOX_READ));
        assertThat(policy.allowsDevbox(c, Action.DEVBOX_READ, List.of("axn_a", "axn_b"))).isTrue();
        assertThat(policy.allowsDevbox(c, Action.DEVBOX_CONTROL, List.of("axn_a"))).isTrue();
        assertThat(policy.allowsDevbox(c, Action.DEVBOX_CONTROL, List.of("axn_a", "axn_b"))).isFalse();
        assertThat(policy.allowsDevbox(c, Action.DEVBOX_READ, List.of("axn_a", "axn_c"))).isFalse();
        assertThat(policy.allowsDevbox(c, Action.DEVBOX_READ, List.of())).as("no mount: server-wide grants only").isFalse();
        assertThatThrownBy(() -> policy.checkDevbox(c, Action.DEVBOX_READ, "dbx_x", List.of("axn_c")))
                .isInstanceOfSatisfying(MyelinException.class, e -> {
                    assertThat(e.kind()).isEqualTo(ErrorKind.FORBIDDEN);
                    assertThat(e.getMessage()).isEqualTo("key key_test may not DEVBOX_READ on dbx_x (needs scope agents:manage)");
                });
        assertThat(policy.allowsDevbox(caller(Scope.ADMIN), Action.DEVBOX_CONTROL, List.of())).isTrue();
        assertThat(policy.devboxesVisible(c)).isEqualTo(AxonVisibility.only(Set.of("axn_a", "axn_b")));
        assertThat(policy.devboxesVisible(caller(Scope.ADMIN))).isEqualTo(AxonVisibility.ALL);
        assertThatThrownBy(() -> policy.check(c, Action.DEVBOX_CREATE, null))
                .as("creating runs processes on the server: server-wide").isInstanceOf(MyelinException.class);
        policy.check(c, Action.DEVBOX_LIST, null);
        assertThat(Action.DEVBOX_READ.onOneDevbox()).isTrue();
        assertThat(Action.DEVBOX_CREATE.onOneDevbox()).isFalse();
    }
}
