package io.myelin.server.http;

import io.myelin.auth.ApiKey;
import io.myelin.auth.ApiKeys;
import io.myelin.auth.Caller;
import io.myelin.error.ErrorKind;
import io.myelin.error.MyelinException;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * In the {@link HandlerChain}: turns {@code Authorization: Bearer <key>} into the request's {@link Caller} (the
 * key's id and scopes, the acting user, the request id), kept for the handlers after it ({@link #caller}). Public
 * routes ({@code /healthz}, {@code /readyz}) skip it and have no caller.
 *
 * <p><b>Acting user.</b> A key may say which user it acts for with {@value #ACTING_USER_HEADER}: 1..{@value
 * #MAX_ACTING_USER_CHARS} visible ASCII characters (0x21-0x7E), e.g. a user id or an e-mail address. Any key may
 * send it; the server does not verify it, it records the key holder's statement (the request log, a retry's
 * identity, and what later features attribute to a user).
 */
public final class Authentication extends Handler.Wrapper {
    public static final String ACTING_USER_HEADER = "X-Myelin-User";
    public static final int MAX_ACTING_USER_CHARS = 128;
    private static final String ATTRIBUTE = Authentication.class.getName();

    private final ApiKeys keys;

    public Authentication(ApiKeys keys, Handler next) {
        super(next);
        this.keys = keys;
    }

    /**
     * @throws MyelinException 401 for a missing, malformed or unknown key (never echoing it); 400 naming
     *                         {@value #ACTING_USER_HEADER} when its value breaks the rule above
     */
    @Override
    public boolean handle(Request request, Response response, Callback callback) throws Exception {
        if (Routing.match(request).action() != null) {
            ApiKey key = keys.authenticate(bearer(request));
            request.setAttribute(ATTRIBUTE, Caller.of(key, actingUser(request), RequestIds.of(request)));
        }
        return super.handle(request, response, callback);
    }

    /** Who the request acts as, or null on public routes and before authentication. */
    public static Caller caller(Request request) {
        return request.getAttribute(ATTRIBUTE) instanceof Caller c ? c : null;
    }

    /**
     * The key of {@code Authorization: Bearer <key>}, or null without the header. Keys are visible ASCII; any other
     * character is a 401 that does not echo the key.
     */
    private static String bearer(Request request) {
        String auth = request.getHeaders().get(HttpHeader.AUTHORIZATION);
        if (auth == null) {
            return null;
        }
        if (!auth.regionMatches(true, 0, "Bearer ", 0, 7)) {
            throw new MyelinException(ErrorKind.UNAUTHORIZED, "Authorization", "Authorization must be 'Bearer <key>'");
        }
        String key = auth.substring(7).trim();
        for (int i = 0; i < key.length(); i++) {
            char c = key.charAt(i);
            if (c < 0x21 || c > 0x7e) {
                throw new MyelinException(ErrorKind.UNAUTHORIZED, "Authorization",
                        "invalid API key: keys are visible ASCII, character " + i + " is not");
            }
        }
        return key;
    }

    private static String actingUser(Request request) {
        String user = request.getHeaders().get(ACTING_USER_HEADER);
        if (user == null) {
            return null;
        }
        if (user.isEmpty() || user.length() > MAX_ACTING_USER_CHARS) {
            throw MyelinException.invalid(ACTING_USER_HEADER, ACTING_USER_HEADER + " must be 1.."
                    + MAX_ACTING_USER_CHARS + " characters, got " + user.length());
        }
        for (int i = 0; i < user.length(); i++) {
            char c = user.charAt(i);
            if (c < 0x21 || c > 0x7e) {
                throw MyelinException.invalid(ACTING_USER_HEADER, ACTING_USER_HEADER
                        + " must be visible ASCII (0x21-0x7E); character " + i + " is U+" + String.format("%04X", (int) c));
            }
        }
        return user;
    }
}
