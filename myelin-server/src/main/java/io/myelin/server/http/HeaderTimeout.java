package io.myelin.server.http;

import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.http.HttpParser;
import org.eclipse.jetty.http2.ErrorCode;
import org.eclipse.jetty.http2.HTTP2Connection;
import org.eclipse.jetty.http2.HTTP2Session;
import org.eclipse.jetty.io.Connection;
import org.eclipse.jetty.io.EndPoint;
import org.eclipse.jetty.server.internal.HttpConnection;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.thread.Scheduler;

/**
 * {@code http.header-timeout} where Jetty's idle timeout, which any received byte restarts, does not enforce it:
 * <ul>
 *   <li>HTTP/1.1: a request head must be complete within the header timeout of its first byte. Jetty's timeout is per
 *       gap, so a head trickled one byte per 19 s would otherwise hold a connection for as long as the client likes
 *       (slowloris). A connection whose head is still incomplete after the header timeout is closed without an
 *       answer, like one that sent nothing.</li>
 *   <li>HTTP/2: a connection that carries no stream is closed once it has carried none for the header timeout, as an
 *       HTTP/1.1 connection without a request in progress is. Frames that open no stream (PING, SETTINGS,
 *       WINDOW_UPDATE, PRIORITY, a header block never finished) are not activity. While a stream is open, the
 *       stream's own timeout ({@code http.idle-timeout}) applies and the connection is left alone; when its last
 *       stream ends, the header timeout runs again. Each HTTP/2 connection also gets the header timeout as its
 *       endpoint's idle timeout when it opens: one that began as HTTP/1.1 and switched at its h2c preface would
 *       otherwise keep the long timeout of the request that carried the preface.</li>
 * </ul>
 * Each connection is checked on the connector's {@link Scheduler} every quarter of the header timeout, so the
 * check samples: an HTTP/1.1 head is cut off between 1 and 1.25 header timeouts after its first byte, an idle
 * HTTP/2 connection between 1 and 1.25 after the last stream activity seen (GOAWAY {@code NO_ERROR} with the text
 * {@code http.header-timeout}, then the socket one check later if the client has not closed it).
 *
 * <p>Threading: {@link #onOpened} runs on a Jetty thread; each connection's checks run one after the other on the
 * scheduler (each schedules the next), so a check's state is confined to them. The parser state they read is
 * volatile; the HTTP/2 session's counters are thread-safe.
 */
public final class HeaderTimeout implements Connection.Listener {
    private final long timeoutMs;
    private final Scheduler scheduler;

    /**
     * @param timeoutMs {@code http.header-timeout} in milliseconds (at least 1)
     * @param scheduler the connector's scheduler, for the checks
     */
    public HeaderTimeout(long timeoutMs, Scheduler scheduler) {
        this.timeoutMs = timeoutMs;
        this.scheduler = scheduler;
    }

    @Override
    public void onOpened(Connection connection) {
        if (connection instanceof HTTP2Connection h2) {
            connection.getEndPoint().setIdleTimeout(timeoutMs);
            new Http2Check(h2).schedule();
        } else if (connection instanceof HttpConnection http1) {
            new Http1Check(http1).schedule();
        }
    }

    /** The checks of one connection, each rescheduling the next until the connection is closed or replaced. */
    private abstract class Check implements Runnable {
        private final Connection connection;

        Check(Connection connection) {
            this.connection = connection;
        }

        final void schedule() {
            scheduler.schedule(this, Math.max(1, timeoutMs / 4), TimeUnit.MILLISECONDS);
        }

        boolean expired(long sinceNanos, long nowNanos) {
            return TimeUnit.NANOSECONDS.toMillis(nowNanos - sinceNanos) >= timeoutMs;
        }

        @Override
        public final void run() {
            EndPoint endPoint = connection.getEndPoint();
            // Closed, or upgraded (an h2c preface: the HTTP/2 connection has its own check).
            if (endPoint.isOpen() && endPoint.getConnection() == connection && check(endPoint, System.nanoTime())) {
                schedule();
            }
        }

        /** One check; false when the connection was closed and needs no more. */
        abstract boolean check(EndPoint endPoint, long nowNanos);
    }

    private final class Http1Check extends Check {
        private final HttpParser parser;
        private long headSinceNanos;
        private boolean inHead;

        Http1Check(HttpConnection connection) {
            super(connection);
            this.parser = connection.getParser();
        }

        @Override
        boolean check(EndPoint endPoint, long nowNanos) {
            // START: waiting for a head's first byte (Jetty's idle timeout bounds that); past HEADER: the head is in.
            boolean nowInHead = parser.inHeaderState() && !parser.isStart();
            if (nowInHead && !inHead) {
                headSinceNanos = nowNanos;
            }
            inHead = nowInHead;
            if (inHead && expired(headSinceNanos, nowNanos)) {
                endPoint.close();
                return false;
            }
            return true;
        }
    }

    private final class Http2Check extends Check {
        private final HTTP2Session session;
        private long opened = -1;
        private long closed = -1;
        private long quietSinceNanos = System.nanoTime();
        private boolean goingAway;

        Http2Check(HTTP2Connection connection) {
            super(connection);
            this.session = connection.getSession();
        }

        @Override
        boolean check(EndPoint endPoint, long nowNanos) {
            if (goingAway) {
                // GOAWAY went out a check ago and the client still holds the socket (or does not read it).
                endPoint.close();
                return false;
            }
            long nowOpened = session.getStreamsOpened();
            long nowClosed = session.getStreamsClosed();
            if (nowOpened != opened || nowClosed != closed || session.getStreamCount() > 0) {
                opened = nowOpened;
                closed = nowClosed;
                quietSinceNanos = nowNanos;
            }
            if (expired(quietSinceNanos, nowNanos)) {
                goingAway = true;
                session.close(ErrorCode.NO_ERROR.code, "http.header-timeout", Callback.NOOP);
            }
            return true;
        }
    }
}
