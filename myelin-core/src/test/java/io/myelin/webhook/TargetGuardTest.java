package io.myelin.webhook;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.myelin.error.MyelinException;
import java.net.InetAddress;
import java.net.URI;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(10)
class TargetGuardTest {
    @Test
    void refusesEveryNonPublicRange() throws Exception {
        String[] refused = {"127.0.0.1", "127.255.0.9", "0.0.0.0", "0.1.2.3", "10.1.2.3", "172.16.0.1", "172.31.255.255",
                "192.168.1.1", "169.254.169.254", "100.64.0.1", "100.127.255.254", "224.0.0.1", "255.255.255.255", "::1",
                "::", "fe80::1", "fc00::1", "fd12:3456::1", "ff02::1", "::ffff:127.0.0.1", "::10.0.0.1",
                "64:ff9b::a9fe:a9fe", "2002:c0a8:0101::1", "64:ff9b:1::7f00:1", "::ffff:0:7f00:1",
                "::ffff:0:a9fe:a9fe", "2001:0:7f00:1::", "198.18.0.1", "198.19.255.1", "240.0.0.1", "192.0.0.1"};
        for (String a : refused) {
            assertThat(TargetGuard.refusal(InetAddress.getByName(a))).as(a).isNotNull();
        }
        String[] allowed = {"8.8.8.8", "100.63.255.255", "100.128.0.1", "172.32.0.1", "192.169.0.1", "2606:4700::1111",
                "64:ff9b::808:808", "2002:0808:0808::1", "198.20.0.1", "192.0.2.1"};
        for (String a : allowed) {
            assertThat(TargetGuard.refusal(InetAddress.getByName(a))).as(a).isNull();
        }
    }

    @Test
    void checksLiteralTargetsWithoutLookingUpNames() {
        TargetGuard guard = new TargetGuard(false);
        assertThatThrownBy(() -> guard.checkTarget(URI.create("http://[::1]:8080/x")))
                .isInstanceOfSatisfying(MyelinException.class, e -> {
                    assertThat(e.field()).isEqualTo("url");
                    assertThat(e.getMessage()).contains("loopback").contains("webhooks.allow-private-targets");
                });
        guard.checkTarget(URI.create("https://8.8.8.8/hook"));
        new TargetGuard(true).checkTarget(URI.create("http://127.0.0.1:1/x"));
    }

    @Test
    void urlForm() {
        for (String bad : new String[] {"", "ftp://example.com/", "example.com/x", "http://user:pw@example.com/",
                "http:///path", "http://example.com/#frag", "http://exa mple.com/", "https://x.com/" + "a".repeat(2048)}) {
            assertThatThrownBy(() -> TargetGuard.parse(bad)).as(bad).isInstanceOfSatisfying(MyelinException.class,
                    e -> assertThat(e.field()).isEqualTo("url"));
        }
        assertThat(TargetGuard.parse("HTTPS://example.com:8443/a?b=c").getHost()).isEqualTo("example.com");
    }

    @Test
    void eventTypePatterns() {
        EventTypeFilter f = EventTypeFilter.of(java.util.List.of("intent.*", "note"));
        assertThat(f.matches("intent.created")).isTrue();
        assertThat(f.matches("intent.")).isTrue();
        assertThat(f.matches("intentional")).isFalse();
        assertThat(f.matches("note")).isTrue();
        assertThat(f.matches("notes")).isFalse();
        assertThat(EventTypeFilter.of(java.util.List.of("*")).matches("anything")).isTrue();
    }
}
