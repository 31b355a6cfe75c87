package io.myelin.cli;

import java.util.List;
import picocli.CommandLine;

/**
 * The client subcommands of {@code myelin}, for the root command to register: everything except
 * {@code serve}.
 */
public final class ClientCommands {
    private ClientCommands() {
    }

    /** The command classes, in the order {@code myelin --help} should list them. */
    public static List<Class<?>> all() {
        return List.of(AxonsCommand.class, PublishCommand.class, EventsCommand.class, TailCommand.class,
                SqlCommand.class, ExecCommand.class);
    }

    /** Adds every client subcommand to {@code root}. */
    public static CommandLine install(CommandLine root) {
        for (Class<?> c : all()) {
            root.addSubcommand(c);
        }
        return root;
    }
}
