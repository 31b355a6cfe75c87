package io.myelin.server.http;

import java.util.concurrent.Executors;
import org.eclipse.jetty.http.UriCompliance;
import org.eclipse.jetty.http2.server.HTTP2CServerConnectionFactory;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.NetworkConnectionLimit;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Builds the Jetty server: its threads, the one connector (HTTP/1.1 and cleartext HTTP/2 on one port), what a
 * connection may hold ({@link ConnectionLimits}) and the JSON error handler. Not started.
 *
 * <p>Connections: at most {@link ConnectionLimits#maxConnections()} are open at once ({@link NetworkConnectionLimit}:
 * at the cap the connector stops accepting, and further clients wait in the kernel's accept queue until one
 * closes). A connection starts with {@link ConnectionLimits#headerTimeout()} as its idle timeout; while it carries a
 * request, {@link ConnectionLimits#idleTimeout()} applies instead (HTTP/1.1: Jetty switches the connection's timeout
 * for each request; HTTP/2: each stream has it). {@link HeaderTimeout} makes the header timeout a total where Jetty's
 * is per gap: an HTTP/1.1 head must be complete within it of its first byte, and an HTTP/2 connection that carried
 * no stream for it is closed, whatever PINGs or other frames it sends. So an unauthenticated client holding sockets
 * open without sending a request holds at most the cap, each for about the header timeout.
 */
public final class JettyServer {
    private static final Logger log = LoggerFactory.getLogger(JettyServer.class);
    /** Descriptors kept for the server's own files, the SQL databases and the data dir's files. */
    private static final long RESERVED_DESCRIPTORS = 256;

    private JettyServer() {}

    /**
     * @param host    address to listen on
     * @param port    TCP port; 0 picks a free one
     * @param handler the handler chain ({@link HandlerChain})
     * @param limits  connection cap and timeouts, the cap already fitted ({@link #fitToDescriptorLimit})
     * @param requestLog whether to log one line per request ({@link RequestLogging})
     */
    public static Server create(String host, int port, ConnectionLimits limits, Handler handler, boolean requestLog) {
        QueuedThreadPool pool = new QueuedThreadPool(64, 4);
        pool.setName("myelin-http");
        pool.setVirtualThreadsExecutor(Executors.newThreadPerTaskExecutor(Thread.ofVirtual().name("myelin-req-", 0).factory()));
        Server server = new Server(pool);
        HttpConfiguration http = new HttpConfiguration();
        http.setSendServerVersion(false);
        http.setSendDateHeader(false);
        // Every path reaches the chain, where RequestTarget decodes it strictly and refuses what is ambiguous with a
        // 400 naming "path"; Jetty's own refusals would answer without saying which part of the request was wrong.
        http.setUriCompliance(UriCompliance.UNSAFE);
        // Jetty applies this while a request is handled (HTTP/1.1: to the connection, then restores the header
        // timeout; HTTP/2: to the stream), so only a connection without a request in progress gets the short one.
        http.setIdleTimeout(limits.idleTimeout().toMillis());
        // HTTP/1.1 and cleartext HTTP/2 on one port: Jetty tells them apart by the HTTP/2 preface. The official
        // Runloop Node SDK speaks h2c with prior knowledge to http:// base URLs; curl and most clients speak 1.1.
        HTTP2CServerConnectionFactory h2c = new HTTP2CServerConnectionFactory(http);
        h2c.setMaxConcurrentStreams(1024);
        // No extended CONNECT (RFC 8441, WebSocket over HTTP/2): no route takes CONNECT, so don't advertise it.
        h2c.setConnectProtocolEnabled(false);
        // Each stream's own timeout; left unset, Jetty would give streams the connection's (the header timeout).
        h2c.setStreamIdleTimeout(limits.idleTimeout().toMillis());
        ServerConnector connector = new ServerConnector(server, 1, -1, new HttpConnectionFactory(http), h2c);
        connector.setHost(host);
        connector.setPort(port);
        connector.setIdleTimeout(limits.headerTimeout().toMillis());
        connector.setAcceptQueueSize(1024);
        connector.addEventListener(new HeaderTimeout(limits.headerTimeout().toMillis(), connector.getScheduler()));
        server.addConnector(connector);
        server.addBean(new NetworkConnectionLimit(limits.maxConnections(), connector));
        server.setHandler(handler);
        server.setErrorHandler(new JsonErrorHandler());
        if (requestLog) {
            server.setRequestLog(new RequestLogging());
        }
        server.setStopTimeout(2_000);
        return server;
    }

    /**
     * Each connection is a file descriptor. When the process may open fewer than the cap and the server's own files
     * need, the cap is lowered to half of what the process may open less a reserve, so that a flood of connections
     * cannot leave SQLite unable to open a database (the other half is for the Axon SQL databases, see
     * {@code sql.max-open-databases}).
     */
    public static int fitToDescriptorLimit(int maxConnections) {
        if (!(java.lang.management.ManagementFactory.getOperatingSystemMXBean()
                instanceof com.sun.management.UnixOperatingSystemMXBean os)) {
            return maxConnections;
        }
        long max = os.getMaxFileDescriptorCount();
        int fits = (int) Math.max(16, Math.min(Integer.MAX_VALUE, max / 2 - RESERVED_DESCRIPTORS));
        if (fits >= maxConnections) {
            return maxConnections;
        }
        log.warn("http.max-connections lowered from {} to {}: the process may open {} files (ulimit -n); half of them,"
                + " less {}, are for connections, the rest for databases and the server's own files", maxConnections,
                fits, max, RESERVED_DESCRIPTORS);
        return fits;
    }
}
