package io.myelin.idempotency;

import static org.assertj.core.api.Assertions.assertThat;

import io.myelin.auth.Caller;
import io.myelin.auth.Scope;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** {@link RequestKey#sentBy}: the caller is part of a request's identity. */
@Timeout(10)
class RequestKeyTest {
    static final RequestKey SENT = new RequestKey("k-1", "Idempotency-Key", Fingerprint.builder().add("POST").build());

    static Caller caller(String keyId, String user, String requestId) {
        return new Caller(keyId, Set.of(Scope.ADMIN), user, requestId);
    }

    @Test
    void theSameKeyFromAnotherKeyOrForAnotherUserIsAnotherRequest() {
        Fingerprint alice = RequestKey.sentBy(caller("key_1", "alice", "r1"), SENT).fingerprint();
        assertThat(RequestKey.sentBy(caller("key_1", "alice", "r2"), SENT).fingerprint())
                .as("a retry carries another request id, and is the same request").isEqualTo(alice);
        assertThat(RequestKey.sentBy(caller("key_2", "alice", "r1"), SENT).fingerprint()).isNotEqualTo(alice);
        assertThat(RequestKey.sentBy(caller("key_1", "bob", "r1"), SENT).fingerprint()).isNotEqualTo(alice);
        assertThat(RequestKey.sentBy(caller("key_1", null, "r1"), SENT).fingerprint()).isNotEqualTo(alice);
        assertThat(alice).as("the caller is added to the request's own fingerprint").isNotEqualTo(SENT.fingerprint());
        RequestKey bound = RequestKey.sentBy(caller("key_1", "alice", "r1"), SENT);
        assertThat(bound.value()).isEqualTo("k-1");
        assertThat(bound.header()).isEqualTo("Idempotency-Key");
        assertThat(RequestKey.sentBy(Caller.SYSTEM, null)).isNull();
    }
}
