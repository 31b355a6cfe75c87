package io.myelin.broker;

import java.time.Duration;
import java.time.InstantSource;
import java.util.Objects;

/**
 * How brokers run; one set for every broker of a server (or of one {@code myelin broker}).
 *
 * @param maxQueuedTurns    turn-starting events that may wait for the running turn; beyond them the broker stops
 *                          reading the axon until a turn ends (the axon keeps the events: none is lost)
 * @param maxQueuedTurnBytes payload bytes of waiting events held in memory; the others are read from the axon again
 *                          when their turn comes
 * @param maxLineBytes      longest line the agent may write on stdout; a longer one is skipped and reported as
 *                          {@code agent.error {type: "line_too_long"}} (an event could not carry it anyway)
 * @param stdinQueue        lines that may wait for the agent to read its stdin
 * @param stdinWait         how long the broker waits for room on a full stdin queue before it stops the agent as
 *                          unresponsive
 * @param inboxEvents       axon events read ahead of the broker's thread
 * @param inboxOutput       agent stdout lines read ahead of the broker's thread
 * @param logLinesPerSecond {@code agent.log} events a broker publishes per second at most (burst: ten times that);
 *                          stderr lines beyond are dropped and counted in the next one (stdout lines that are not
 *                          protocol get {@link #LOG_LINES_PER_SECOND}, counted apart)
 * @param maxLogChars       longest {@code agent.log} message; longer lines are cut
 * @param restartBackoff    the first wait before restarting an agent that exited on its own; each further exit in
 *                          a row doubles it, up to {@code maxRestartBackoff}
 * @param maxRestartBackoff the longest such wait
 * @param startTimeout      how long {@link BrokerFactory#start} waits for the first launch
 * @param stopGrace         how long an agent has after SIGTERM before SIGKILL when the broker closes (the server
 *                          sets it from {@code devboxes.stop-timeout})
 * @param handshakeTimeout  how long the agent has to answer each of the broker's own start-up requests (ACP
 *                          {@code initialize}, {@code session/new}, {@code session/load}); past it the agent is killed,
 *                          {@code agent.error {type: "start_timeout"}} is published and the turn waiting for it fails
 *                          ({@code agents.start-timeout})
 * @param cancelTimeout     how long a cancelled turn waits for the agent to end it (ACP {@code session/cancel}, a
 *                          Claude {@code interrupt}); past it the turn ends {@code cancelled} anyway, with
 *                          {@code agent.error {type: "cancel_timeout"}}, and the agent is stopped ({@code stopGrace}
 *                          between SIGTERM and SIGKILL) so the next turn gets a fresh one ({@code agents.cancel-timeout})
 * @param clock             the time restart backoffs are measured with
 */
public record BrokerOptions(int maxQueuedTurns, long maxQueuedTurnBytes, int maxLineBytes, int stdinQueue, Duration stdinWait, int inboxEvents,
                            int inboxOutput, int logLinesPerSecond, int maxLogChars, Duration restartBackoff,
                            Duration maxRestartBackoff, Duration startTimeout, Duration stopGrace,
                            Duration handshakeTimeout, Duration cancelTimeout, InstantSource clock) {
    /** The default of {@code logLinesPerSecond}, for stderr and for stdout lines that are not protocol. */
    public static final int LOG_LINES_PER_SECOND = 20;
    /** The default of {@code handshakeTimeout} ({@code agents.start-timeout}). */
    public static final Duration DEFAULT_HANDSHAKE_TIMEOUT = Duration.ofSeconds(60);
    /** The default of {@code cancelTimeout} ({@code agents.cancel-timeout}). */
    public static final Duration DEFAULT_CANCEL_TIMEOUT = Duration.ofSeconds(30);
    /** The default of {@code stopGrace} ({@code devboxes.stop-timeout}). */
    public static final Duration DEFAULT_STOP_GRACE = Duration.ofSeconds(10);

    public BrokerOptions {
        Objects.requireNonNull(clock, "clock");
        if (stopGrace.isNegative() || handshakeTimeout.toMillis() < 1 || cancelTimeout.toMillis() < 1) {
            throw new IllegalArgumentException(
                    "broker stop grace must be at least 0, handshake and cancel timeouts at least 1ms");
        }
        if (maxQueuedTurns < 1 || maxLineBytes < 1024 || stdinQueue < 1 || inboxEvents < 1 || inboxOutput < 1
                || logLinesPerSecond < 1 || maxLogChars < 80) {
            throw new IllegalArgumentException("broker options out of range");
        }
    }

    /** The defaults, with lines bounded by the server's largest payload and time read from {@code clock}. */
    public static BrokerOptions defaults(int maxPayloadBytes, InstantSource clock) {
        return new BrokerOptions(1000, 8L << 20, maxPayloadBytes, 1024, Duration.ofSeconds(30), 256, 256, LOG_LINES_PER_SECOND, 8192,
                Duration.ofSeconds(1), Duration.ofSeconds(60), Duration.ofSeconds(30), DEFAULT_STOP_GRACE,
                DEFAULT_HANDSHAKE_TIMEOUT, DEFAULT_CANCEL_TIMEOUT, clock);
    }

    /** These options with {@code grace} between SIGTERM and SIGKILL for every stop of an agent. */
    public BrokerOptions withStopGrace(Duration grace) {
        return new BrokerOptions(maxQueuedTurns, maxQueuedTurnBytes, maxLineBytes, stdinQueue, stdinWait, inboxEvents,
                inboxOutput, logLinesPerSecond, maxLogChars, restartBackoff, maxRestartBackoff, startTimeout, grace,
                handshakeTimeout, cancelTimeout, clock);
    }

    /** These options with {@code timeout} for each answer of the agent's start-up handshake. */
    public BrokerOptions withHandshakeTimeout(Duration timeout) {
        return new BrokerOptions(maxQueuedTurns, maxQueuedTurnBytes, maxLineBytes, stdinQueue, stdinWait, inboxEvents,
                inboxOutput, logLinesPerSecond, maxLogChars, restartBackoff, maxRestartBackoff, startTimeout, stopGrace,
                timeout, cancelTimeout, clock);
    }

    /** These options with {@code timeout} for the agent to end a cancelled turn. */
    public BrokerOptions withCancelTimeout(Duration timeout) {
        return new BrokerOptions(maxQueuedTurns, maxQueuedTurnBytes, maxLineBytes, stdinQueue, stdinWait, inboxEvents,
                inboxOutput, logLinesPerSecond, maxLogChars, restartBackoff, maxRestartBackoff, startTimeout, stopGrace,
                handshakeTimeout, timeout, clock);
    }
}
