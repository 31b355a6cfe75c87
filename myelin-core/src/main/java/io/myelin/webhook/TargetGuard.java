package io.myelin.webhook;

import io.myelin.error.MyelinException;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.util.Locale;

/**
 * Where webhooks may point (SSRF): only {@code http}/{@code https} URLs of at most {@link WebhookOptions#MAX_URL_CHARS}
 * characters, with a host and no userinfo or fragment, whose host resolves only to public addresses. Refused
 * addresses: loopback, unspecified ({@code 0.0.0.0/8}, {@code ::}), private ({@code 10/8}, {@code 172.16/12},
 * {@code 192.168/16}), link-local ({@code 169.254/16}, {@code fe80::/10}), unique-local ({@code fc00::/7}), CGNAT
 * ({@code 100.64/10}), multicast, broadcast, and IPv6 addresses that embed a refused IPv4 one (IPv4-compatible,
 * NAT64 {@code 64:ff9b::/96}, 6to4 {@code 2002::/16}). With {@code allowPrivate} only the URL's form is checked.
 *
 * <p>The check runs at create and again before each attempt (DNS can change); the attempt's connection then resolves
 * the host through the JVM's address cache, which holds the answer just checked. Thread-safe (stateless).
 */
public final class TargetGuard {
    private final boolean allowPrivate;

    public TargetGuard(boolean allowPrivate) {
        this.allowPrivate = allowPrivate;
    }

    /**
     * Checks a URL's form.
     *
     * @throws MyelinException 400 {@code url} saying what is wrong
     */
    public static URI parse(String url) {
        if (url.isEmpty() || url.length() > WebhookOptions.MAX_URL_CHARS) {
            throw MyelinException.invalid("url", "url must be 1 to " + WebhookOptions.MAX_URL_CHARS
                    + " characters, got " + url.length());
        }
        URI uri;
        try {
            uri = new URI(url);
        } catch (URISyntaxException e) {
            throw MyelinException.invalid("url", "url is not a valid URL: " + e.getMessage());
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https")) {
            throw MyelinException.invalid("url", "url must be an http or https URL, got scheme '" + uri.getScheme() + "'");
        }
        if (uri.getRawUserInfo() != null) {
            throw MyelinException.invalid("url", "url must not carry user information (user:password@)");
        }
        if (uri.getHost() == null || uri.getHost().isEmpty()) {
            throw MyelinException.invalid("url", "url must name a host (a DNS name or an IP address)");
        }
        if (uri.getRawFragment() != null) {
            throw MyelinException.invalid("url", "url must not have a fragment (#...): it is never sent");
        }
        return uri;
    }

    /**
     * Resolves the URL's host and checks every address (unless private targets are allowed).
     *
     * @throws MyelinException 400 {@code url} when the host does not resolve or resolves to a refused address
     */
    public void checkTarget(URI uri) {
        if (allowPrivate) {
            return;
        }
        String host = uri.getHost();
        InetAddress[] addresses;
        try {
            addresses = InetAddress.getAllByName(host);
        } catch (UnknownHostException e) {
            throw MyelinException.invalid("url", "url host '" + host + "' does not resolve");
        }
        for (InetAddress a : addresses) {
            String why = refusal(a);
            if (why != null) {
                throw MyelinException.invalid("url", "url host '" + host + "' resolves to " + a.getHostAddress()
                        + ", a " + why + " address: webhooks may only target public addresses"
                        + " (webhooks.allow-private-targets)");
            }
        }
    }

    /** Why {@code a} is refused, or null when it is a public address. */
    static String refusal(InetAddress a) {
        if (a.isLoopbackAddress()) {
            return "loopback";
        }
        if (a.isAnyLocalAddress()) {
            return "unspecified";
        }
        if (a.isLinkLocalAddress()) {
            return "link-local";
        }
        if (a.isSiteLocalAddress()) {
            return "private";
        }
        if (a.isMulticastAddress()) {
            return "multicast";
        }
        byte[] b = a.getAddress();
        if (a instanceof Inet4Address) {
            int first = b[0] & 0xff;
            int second = b[1] & 0xff;
            if (first == 0) {
                return "unspecified";
            }
            if (first == 100 && (second & 0xc0) == 64) {
                return "CGNAT";
            }
            if (first == 255 && (b[1] & b[2] & b[3] & 0xff) == 0xff) {
                return "broadcast";
            }
            if (first == 198 && (second & 0xfe) == 18) {
                return "benchmarking (198.18.0.0/15)";
            }
            if (first >= 240) {
                return "reserved (240.0.0.0/4)";
            }
            if (first == 192 && second == 0 && (b[2] & 0xff) == 0) {
                return "IETF protocol assignments (192.0.0.0/24)";
            }
            return null;
        }
        if (a instanceof Inet6Address) {
            if ((b[0] & 0xfe) == 0xfc) {
                return "unique-local";
            }
            if (b[0] == 0x20 && b[1] == 0x01 && b[2] == 0 && b[3] == 0) {
                return "Teredo (2001::/32)";
            }
            if (b[0] == 0x00 && b[1] == 0x64 && (b[2] & 0xff) == 0xff && (b[3] & 0xff) == 0x9b && b[4] == 0
                    && b[5] == 0x01) {
                return "local-use NAT64 (64:ff9b:1::/48)";
            }
            byte[] embedded = embeddedIpv4(b);
            if (embedded != null) {
                try {
                    String inner = refusal(InetAddress.getByAddress(embedded));
                    return inner == null ? null : inner + " (embedded in IPv6)";
                } catch (UnknownHostException e) {
                    return "malformed";
                }
            }
        }
        return null;
    }

    /**
     * The IPv4 address an IPv6 one carries: IPv4-compatible ::a.b.c.d, SIIT ::ffff:0:a.b.c.d, NAT64 64:ff9b::/96,
     * 6to4 2002:AABB:CCDD::/48.
     */
    private static byte[] embeddedIpv4(byte[] b) {
        boolean zeros96 = true;
        for (int i = 0; i < 12; i++) {
            zeros96 &= b[i] == 0;
        }
        boolean siit = (b[8] & 0xff) == 0xff && (b[9] & 0xff) == 0xff && b[10] == 0 && b[11] == 0;
        for (int i = 0; siit && i < 8; i++) {
            siit = b[i] == 0;
        }
        zeros96 |= siit;
        boolean nat64 = b[0] == 0x00 && b[1] == 0x64 && (b[2] & 0xff) == 0xff && (b[3] & 0xff) == 0x9b;
        for (int i = 4; nat64 && i < 12; i++) {
            nat64 = b[i] == 0;
        }
        if (zeros96 || nat64) {
            return new byte[] {b[12], b[13], b[14], b[15]};
        }
        if (b[0] == 0x20 && b[1] == 0x02) {
            return new byte[] {b[2], b[3], b[4], b[5]};
        }
        return null;
    }
}
