package io.myelin.testkit;

import io.myelin.error.MyelinException;
import io.myelin.server.MyelinServer;
import io.myelin.server.config.ConfigLoader;

/**
 * The child JVM of {@link ServerProcess#onClasspath()}: a server wired as {@code myelin serve} wires it, for modules
 * whose tests cannot use the runnable jar (it is built after them). Takes the flags {@code serve} takes that
 * {@link ServerProcess} passes: {@code --port N --data-dir DIR [--set KEY=VALUE]...}; the admin key comes from
 * {@code MYELIN_ADMIN_KEY}. Prints {@code listening on URL} once the server is up, as {@code serve} logs it.
 */
public final class ChildServerMain {
    private ChildServerMain() {
    }

    public static void main(String[] args) throws InterruptedException {
        ConfigLoader loader = new ConfigLoader().env(System.getenv());
        for (int i = 0; i < args.length; i += 2) {
            if (i + 1 >= args.length) {
                usage("missing value after " + args[i]);
            }
            String value = args[i + 1];
            switch (args[i]) {
                case "--port" -> loader.flag("port", value);
                case "--data-dir" -> loader.flag("data-dir", value);
                case "--set" -> {
                    int eq = value.indexOf('=');
                    if (eq <= 0) {
                        usage("--set needs KEY=VALUE, not " + value);
                    }
                    loader.flag(value.substring(0, eq), value.substring(eq + 1));
                }
                default -> usage("unknown flag " + args[i]);
            }
        }
        MyelinServer server;
        try {
            server = MyelinServer.start(loader.build());
        } catch (MyelinException e) {
            System.err.println("cannot start: " + e.getMessage());
            System.exit(1);
            return;
        }
        Runtime.getRuntime().addShutdownHook(new Thread(server::close, "myelin-shutdown"));
        System.out.println("Myelin " + MyelinServer.VERSION + " listening on " + server.uri() + " (data dir " + server.dataDir() + ")");
        System.out.flush();
        server.join();
    }

    private static void usage(String problem) {
        System.err.println("usage: ChildServerMain --port N --data-dir DIR [--set KEY=VALUE]...: " + problem);
        System.exit(2);
    }
}
