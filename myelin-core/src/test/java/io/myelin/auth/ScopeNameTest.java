package io.myelin.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.myelin.error.ErrorKind;
import io.myelin.error.MyelinException;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The table of scopes: every action reachable without admin, names as on the wire, grants as the policy reads them. */
@Timeout(10)
class ScopeNameTest {
    final AccessPolicy policy = new AccessPolicy();

    @Test
    void everyActionIsGrantedBySomeScopeBesidesAdmin() {
        List<Action> adminOnly = new ArrayList<>();
        for (Action a : Action.values()) {
            boolean granted = false;
            for (ScopeName s : ScopeName.values()) {
                granted |= s != ScopeName.ADMIN && s.actions().contains(a);
            }
            if (!granted) {
                adminOnly.add(a);
            }
        }
        assertThat(adminOnly).as("actions only admin grants: map each to a scope in ScopeName").isEmpty();
        assertThat(ScopeName.ADMIN.actions()).containsExactlyInAnyOrder(Action.values());
    }

    @Test
    void namesAreTheWireNames() {
        assertThat(ScopeName.known()).isEqualTo("admin, keys:manage, axons:read, axons:write, events:read, events:write,"
                + " sql:read, sql:write, intents:read, intents:resolve, journal:read, journal:write, audit:read,"
                + " agents:manage, webhooks:manage");
        for (ScopeName s : ScopeName.values()) {
            assertThat(ScopeName.parse("scopes[0]", s.wireName())).isSameAs(s);
        }
        assertThatThrownBy(() -> ScopeName.parse("scopes[2]", "axons:READ"))
                .isInstanceOfSatisfying(MyelinException.class, e -> {
                    assertThat(e.kind()).isEqualTo(ErrorKind.INVALID_REQUEST);
                    assertThat(e.field()).isEqualTo("scopes[2]");
                });
    }

    @Test
    void aKeysGrantsAreItsScopesOnItsAxons() {
        ApiKey limited = new ApiKey("key_l", "l", EnumSet.of(ScopeName.AXONS_READ, ScopeName.SQL_READ),
                Set.of("axn_a", "axn_b"), null, 0, null, null, false);
        Caller c = Caller.of(limited, null, null);
        policy.check(c, Action.SQL_QUERY, "axn_b");
        assertThat(policy.allows(c, Action.SQL_WRITE, "axn_b")).isFalse();
        assertThat(policy.visible(c)).isEqualTo(AxonVisibility.only(Set.of("axn_a", "axn_b")));
        assertThatThrownBy(() -> policy.check(c, Action.AXON_READ, "axn_c"))
                .as("another axon does not exist for this key")
                .isInstanceOfSatisfying(MyelinException.class, e -> assertThat(e.kind()).isEqualTo(ErrorKind.NOT_FOUND));
        assertThatThrownBy(() -> policy.check(c, Action.AXON_DELETE, "axn_a"))
                .isInstanceOfSatisfying(MyelinException.class, e -> assertThat(e.kind()).isEqualTo(ErrorKind.FORBIDDEN));
        assertThatThrownBy(() -> policy.check(c, Action.AXON_CREATE, null))
                .isInstanceOfSatisfying(MyelinException.class, e -> assertThat(e.kind()).isEqualTo(ErrorKind.FORBIDDEN));

        ApiKey everywhere = new ApiKey("key_e", "e", EnumSet.of(ScopeName.AXONS_WRITE), null, null, 0, null, null, false);
        policy.check(Caller.of(everywhere, null, null), Action.AXON_CREATE, null);
        ApiKey nothingYet = new ApiKey("key_n", "n", EnumSet.of(ScopeName.JOURNAL_READ), null, null, 0, null, null, false);
        assertThat(nothingYet.grants()).isEqualTo(Set.of(new Scope(null, ScopeName.JOURNAL_READ.actions())));
    }

    @Test
    void aManagerGrantsOnlyWhatItHolds() {
        Caller manager = Caller.of(new ApiKey("key_m", "m", EnumSet.of(ScopeName.KEYS_MANAGE, ScopeName.EVENTS_READ),
                null, null, 0, null, null, false), null, null);
        policy.checkGrant(manager, EnumSet.of(ScopeName.EVENTS_READ), Set.of("axn_a"), "grant");
        policy.checkGrant(manager, EnumSet.of(ScopeName.EVENTS_READ, ScopeName.KEYS_MANAGE), null, "grant");
        for (ScopeName more : List.of(ScopeName.ADMIN, ScopeName.EVENTS_WRITE, ScopeName.SQL_READ)) {
            assertThatThrownBy(() -> policy.checkGrant(manager, EnumSet.of(more), null, "grant"))
                    .isInstanceOfSatisfying(MyelinException.class, e -> {
                        assertThat(e.kind()).isEqualTo(ErrorKind.FORBIDDEN);
                        assertThat(e.getMessage()).contains(more.wireName());
                    });
        }
        Caller limited = Caller.of(new ApiKey("key_x", "x", EnumSet.of(ScopeName.EVENTS_READ), Set.of("axn_a"), null, 0,
                null, null, false), null, null);
        policy.checkGrant(limited, EnumSet.of(ScopeName.EVENTS_READ), Set.of("axn_a"), "grant");
        assertThatThrownBy(() -> policy.checkGrant(limited, EnumSet.of(ScopeName.EVENTS_READ), Set.of("axn_a", "axn_b"),
                "grant")).isInstanceOf(MyelinException.class);
        assertThatThrownBy(() -> policy.checkGrant(limited, EnumSet.of(ScopeName.EVENTS_READ), null, "grant"))
                .isInstanceOf(MyelinException.class);
    }
}
