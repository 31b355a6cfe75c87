package io.myelin.devbox;

import io.myelin.broker.BrokerFactory;
import io.myelin.broker.BrokerListener;
import io.myelin.broker.BrokerSpec;
import io.myelin.broker.MountedBroker;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * Brokers that only run their agent as a real process, for engine tests where what the broker relays does not
 * matter: start runs the command ({@code startStopped} does not), stopping and closing kill it, resume starts it
 * again when it is not running.
 */
final class CatBrokers implements BrokerFactory {
    @Override
    public MountedBroker start(BrokerSpec spec, BrokerListener listener) {
        return mount(spec, launch(spec));
    }

    @Override
    public MountedBroker startStopped(BrokerSpec spec, BrokerListener listener) {
        return mount(spec, null);
    }

    private static MountedBroker mount(BrokerSpec spec, Process first) {
        return new MountedBroker() {
            private Process process = first;

            @Override
            public synchronized void suspend(Duration deadline) {
                stop();
            }

            @Override
            public synchronized void shutdown(Duration deadline) {
                stop();
            }

            @Override
            public synchronized void resume() {
                if (process == null || !process.isAlive()) {
                    process = launch(spec);
                }
            }

            @Override
            public boolean idle() {
                return true;
            }

            @Override
            public synchronized void close() {
                stop();
            }

            private void stop() {
                if (process == null) {
                    return;
                }
                try {
                    process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        };
    }

    private static Process launch(BrokerSpec spec) {
        ProcessBuilder pb = new ProcessBuilder(spec.command()).directory(spec.workingDirectory().toFile())
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).redirectErrorStream(true);
        pb.environment().clear();
        pb.environment().putAll(spec.environment());
        try {
            return pb.start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
