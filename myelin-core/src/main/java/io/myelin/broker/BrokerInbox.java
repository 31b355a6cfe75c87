package io.myelin.broker;

import io.myelin.stream.Event;
import java.util.ArrayDeque;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Everything that reaches a broker's thread, in four bounded lanes:
 *
 * <ul>
 *   <li>control ({@link Control}: the supervisor's commands, the agent's exit), taken first;</li>
 *   <li>axon events and agent output, taken in turns so that neither starves the other (a flood of agent output
 *       cannot hold back a client's cancel). Their producers block when the lane is full: the axon reader stops
 *       reading (the axon keeps the events), the agent waits on its stdout pipe;</li>
 *   <li>agent logs (stderr), taken last; offered without blocking, dropped (and counted) when full.</li>
 * </ul>
 *
 * <p>The consumer may refuse axon events for a while ({@code takeEvents} false: its queue of turns is full); they
 * then wait in their lane and, beyond it, in the axon.
 *
 * <p>Threading: any number of producers, one consumer.
 */
final class BrokerInbox {
    /** What the broker's thread takes. */
    sealed interface Item permits Control, AxonEvent, AgentOut, AgentLog {}

    /** A command or a process exit: runs on the broker's thread. */
    record Control(Runnable action) implements Item {}

    record AxonEvent(Event event) implements Item {}

    /** One stdout line of agent process {@code generation}; {@code line} null with {@code ended}: stdout closed. */
    record AgentOut(int generation, String line, long overlongBytes, boolean ended) implements Item {}

    record AgentLog(int generation, String line) implements Item {}

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition ready = lock.newCondition();
    private final Condition space = lock.newCondition();
    private final ArrayDeque<Control> control = new ArrayDeque<>();
    private final ArrayDeque<AxonEvent> events = new ArrayDeque<>();
    private final ArrayDeque<AgentOut> output = new ArrayDeque<>();
    private final ArrayDeque<AgentLog> logs = new ArrayDeque<>();
    private final int controlCapacity;
    private final int eventCapacity;
    private final int outputCapacity;
    private final int logCapacity;
    private boolean outputNext;
    private long droppedLogs;
    private boolean closed;

    BrokerInbox(int eventCapacity, int outputCapacity, int logCapacity) {
        this.controlCapacity = 256;
        this.eventCapacity = eventCapacity;
        this.outputCapacity = outputCapacity;
        this.logCapacity = logCapacity;
    }

    /**
     * Queues a command of the supervisor.
     *
     * @return false when the broker is closed
     * @throws IllegalStateException when 256 commands already wait (a supervisor that calls without waiting)
     */
    boolean control(Runnable action) {
        return control(action, true);
    }

    /**
     * Queues a notice that must not be lost (the agent's exit, the axon gone): one per agent process or per broker,
     * so they need no bound of their own.
     *
     * @return false when the broker is closed
     */
    boolean notice(Runnable action) {
        return control(action, false);
    }

    private boolean control(Runnable action, boolean bounded) {
        lock.lock();
        try {
            if (closed) {
                return false;
            }
            if (bounded && control.size() >= controlCapacity) {
                throw new IllegalStateException("the broker has " + control.size() + " commands waiting");
            }
            control.add(new Control(action));
            ready.signal();
            return true;
        } finally {
            lock.unlock();
        }
    }

    /** Queues an axon event, waiting for room. Returns false once closed. */
    boolean event(Event e) throws InterruptedException {
        return put(events, eventCapacity, new AxonEvent(e));
    }

    /** Queues agent output, waiting for room. Returns false once closed. */
    boolean output(AgentOut out) throws InterruptedException {
        return put(output, outputCapacity, out);
    }

    /** Queues a log line unless the lane is full (then it is counted as dropped). */
    void log(AgentLog line) {
        lock.lock();
        try {
            if (closed) {
                return;
            }
            if (logs.size() >= logCapacity) {
                droppedLogs++;
                return;
            }
            logs.add(line);
            ready.signal();
        } finally {
            lock.unlock();
        }
    }

    /** Whether agent output is waiting to be taken (the broker publishes what it has gathered once none is). */
    boolean outputWaiting() {
        lock.lock();
        try {
            return !output.isEmpty();
        } finally {
            lock.unlock();
        }
    }

    /** Log lines dropped because the lane was full, since the last call. */
    long takeDroppedLogs() {
        lock.lock();
        try {
            long n = droppedLogs;
            droppedLogs = 0;
            return n;
        } finally {
            lock.unlock();
        }
    }

    private <T> boolean put(ArrayDeque<T> lane, int capacity, T item) throws InterruptedException {
        lock.lockInterruptibly();
        try {
            while (!closed && lane.size() >= capacity) {
                space.await();
            }
            if (closed) {
                return false;
            }
            lane.add(item);
            ready.signal();
            return true;
        } finally {
            lock.unlock();
        }
    }

    /**
     * The next item, waiting at most {@code waitNanos}; null on timeout or once closed.
     *
     * @param takeEvents false to leave axon events in their lane for now
     */
    Item take(long waitNanos, boolean takeEvents) throws InterruptedException {
        lock.lockInterruptibly();
        try {
            long left = waitNanos;
            while (!closed) {
                Item next = poll(takeEvents);
                if (next != null) {
                    space.signalAll();
                    return next;
                }
                if (left <= 0) {
                    return null;
                }
                left = ready.awaitNanos(left);
            }
            return null;
        } finally {
            lock.unlock();
        }
    }

    private Item poll(boolean takeEvents) {
        if (!control.isEmpty()) {
            return control.poll();
        }
        boolean haveEvent = takeEvents && !events.isEmpty();
        if (!output.isEmpty() && (outputNext || !haveEvent)) {
            outputNext = false;
            return output.poll();
        }
        if (haveEvent) {
            outputNext = true;
            return events.poll();
        }
        return logs.poll();
    }

    /** Ends every wait; later puts are refused. */
    void close() {
        lock.lock();
        try {
            closed = true;
            ready.signalAll();
            space.signalAll();
        } finally {
            lock.unlock();
        }
    }
}
