package io.myelin.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.myelin.error.ErrorKind;
import io.myelin.error.MyelinException;
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
    void aGrantOnOneAxonAllowsItsActionsThereOnly() {
        Caller c = caller(Scope.axon("axn_a", Action.AXON_READ, Action.EVENT_PUBLISH));
        policy.check(c, Action.AXON_READ, "axn_a");
        policy.check(c, Action.EVENT_PUBLISH, "axn_a");
        assertThatThrownBy(() -> policy.check(c, Action.AXON_DELETE, "axn_a"))
                .isInstanceOfSatisfying(MyelinException.class, e -> {
                    assertThat(e.kind()).isEqualTo(ErrorKind.FORBIDDEN);
                    assertThat(e.getMessage()).isEqualTo("key key_test may not AXON_DELETE on axn_a");
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
}
