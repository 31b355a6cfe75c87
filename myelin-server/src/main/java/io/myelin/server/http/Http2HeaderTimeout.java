package io.myelin.server.http;

import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.http2.ErrorCode;
import org.eclipse.jetty.http2.HTTP2Connection;
import org.eclipse.jetty.http2.HTTP2Session;
import org.eclipse.jetty.io.Connection;
import org.eclipse.jetty.io.EndPoint;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.thread.Scheduler;

/**
 * {@code http.header-timeout} for HTTP/2 connections: one that carries no stream is closed once it has carried none
 * for the header timeout, as an HTTP/1.1 connection without a request in progress is. Frames that open no stream
 * (PING, SETTINGS, WINDOW_UPDATE, PRIORITY, a header block never finished) are not activity: a client sending only
 * those holds a connection no longer than a silent one. While a stream is open, the stream's own timeout
 * ({@code http.idle-timeout}) applies and the connection is left alone; when its last stream ends, the header timeout
 * runs again from then.
 *
 * <p>Jetty's own idle timeout cannot say this: any byte received (a PING) restarts it, and a connection that began
 * as HTTP/1.1 and switched to HTTP/2 at its preface keeps the long timeout of the request that carried the preface.
 * So each HTTP/2 connection gets the header timeout as its endpoint's idle timeout when it opens, and a check on the
 * connector's {@link Scheduler} every quarter of the header timeout that samples its session's stream counters:
 * a connection is closed (GOAWAY {@code NO_ERROR} with the text {@code http.header-timeout}, then the socket one check later if the client has not closed it)
 * between 1 and 1.25 header timeouts after the last stream activity the checks saw.
 *
 * <p>Threading: {@link #onOpened} runs on a Jetty thread; each connection's checks run one after the other on the
 * scheduler (each schedules the next), so a check's state is confined to them.
 */
public final class Http2HeaderTimeout implements Connection.Listener {
    private final long timeoutMs;
    private final Scheduler scheduler;

    /**
     * @param timeoutMs {@code http.header-timeout} in milliseconds (at least 1)
     * @param scheduler the connector's scheduler, for the checks
     */
    public Http2HeaderTimeout(long timeoutMs, Scheduler scheduler) {
        this.timeoutMs = timeoutMs;
        this.scheduler = scheduler;
    }

    @Override
    public void onOpened(Connection connection) {
        if (connection instanceof HTTP2Connection h2) {
            connection.getEndPoint().setIdleTimeout(timeoutMs);
            new Check(h2).schedule(period());
        }
    }

    private long period() {
        return Math.max(1, timeoutMs / 4);
    }

    /** The checks of one connection. */
    private final class Check implements Runnable {
        private final HTTP2Connection connection;
        private long opened = -1;
        private long closed = -1;
        private long quietSinceNanos = System.nanoTime();
        private boolean goingAway;

        Check(HTTP2Connection connection) {
            this.connection = connection;
        }

        void schedule(long delayMs) {
            scheduler.schedule(this, delayMs, TimeUnit.MILLISECONDS);
        }

        @Override
        public void run() {
            EndPoint endPoint = connection.getEndPoint();
            if (!endPoint.isOpen()) {
                return;
            }
            if (goingAway) {
                // GOAWAY went out a check ago and the client still holds the socket (or does not read it).
                endPoint.close();
                return;
            }
            HTTP2Session session = connection.getSession();
            long nowOpened = session.getStreamsOpened();
            long nowClosed = session.getStreamsClosed();
            long now = System.nanoTime();
            if (nowOpened != opened || nowClosed != closed || session.getStreamCount() > 0) {
                opened = nowOpened;
                closed = nowClosed;
                quietSinceNanos = now;
            }
            if (TimeUnit.NANOSECONDS.toMillis(now - quietSinceNanos) >= timeoutMs) {
                goingAway = true;
                session.close(ErrorCode.NO_ERROR.code, "http.header-timeout", Callback.NOOP);
            }
            schedule(period());
        }
    }
}
