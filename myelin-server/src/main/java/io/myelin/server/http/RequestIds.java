package io.myelin.server.http;

import java.util.HexFormat;
import java.util.concurrent.ThreadLocalRandom;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * First in the {@link HandlerChain}: gives every request an id and echoes it as {@code X-Request-Id} on the answer,
 * so a client can quote it and an operator find the request's log lines (the request log, a 5xx error).
 *
 * <p>The id is the client's own {@code X-Request-Id} when that is 1..{@value #MAX_CHARS} visible ASCII characters
 * (0x21-0x7E: nothing that could break a log line), else a new one ({@code req_} + 24 hex characters). A client id
 * that does not qualify is not an error: it may still be a retry identity (see {@link Exchange#requestKey}), which
 * has its own rule.
 */
public final class RequestIds extends Handler.Wrapper {
    public static final String HEADER = "X-Request-Id";
    /** Longest client id used as the request id. */
    public static final int MAX_CHARS = 128;
    private static final String ATTRIBUTE = RequestIds.class.getName();

    public RequestIds(Handler next) {
        super(next);
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) throws Exception {
        response.getHeaders().put(HEADER, assign(request));
        return super.handle(request, response, callback);
    }

    /** The request's id, assigned on first call (also for errors Jetty answers before this handler runs). */
    static String assign(Request request) {
        if (request.getAttribute(ATTRIBUTE) instanceof String id) {
            return id;
        }
        String sent = request.getHeaders().get(HEADER);
        String id = usable(sent) ? sent : generate();
        request.setAttribute(ATTRIBUTE, id);
        return id;
    }

    /** The id given to the request, or null when none was (it never reached this handler). */
    public static String of(Request request) {
        return request.getAttribute(ATTRIBUTE) instanceof String id ? id : null;
    }

    static boolean usable(String id) {
        if (id == null || id.isEmpty() || id.length() > MAX_CHARS) {
            return false;
        }
        for (int i = 0; i < id.length(); i++) {
            char c = id.charAt(i);
            if (c < 0x21 || c > 0x7e) {
                return false;
            }
        }
        return true;
    }

    /** 96 random bits: for telling requests apart in logs, not a secret, so no SecureRandom on every request. */
    private static String generate() {
        byte[] b = new byte[12];
        ThreadLocalRandom.current().nextBytes(b);
        return "req_" + HexFormat.of().formatHex(b);
    }
}
