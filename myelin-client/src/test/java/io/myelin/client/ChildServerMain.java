package io.myelin.client;

import io.myelin.server.MyelinServer;
import io.myelin.server.config.ConfigLoader;

/**
 * Runs a server in a child JVM for the crash test: {@code ChildServerMain PORT DATA_DIR ADMIN_KEY [KEY=VALUE...]}.
 * The same wiring as {@code myelin serve}, without depending on the CLI module.
 */
public final class ChildServerMain {
    private ChildServerMain() {
    }

    public static void main(String[] args) throws Exception {
        ConfigLoader loader = new ConfigLoader().flag("port", args[0]).flag("data-dir", args[1]).flag("admin-key", args[2]);
        for (int i = 3; i < args.length; i++) {
            String[] kv = args[i].split("=", 2);
            loader.flag(kv[0], kv[1]);
        }
        MyelinServer server = MyelinServer.start(loader.build());
        System.out.println("ready " + server.uri());
        System.out.flush();
        server.join();
    }
}
