package io.myelin.cli;

import io.myelin.server.MyelinServer;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code myelin} command: {@code bin/myelin <command>}. */
@Command(name = "myelin", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
        description = "Durable multi-client sessions (axons) for AI agents.",
        subcommands = {ServeCommand.class, AxonsCommand.class, PublishCommand.class, EventsCommand.class,
                TailCommand.class, SqlCommand.class, ExecCommand.class, DevboxesCommand.class, IntentsCommand.class,
                InboxCommand.class, BrokerCommand.class,
                CommandLine.HelpCommand.class})
public final class Main implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }

    /** The configured command tree (tests run commands in-process through it). */
    public static CommandLine commandLine() {
        // No @argfile expansion: `publish --payload @file` reads the file as the payload itself.
        return new CommandLine(new Main()).setExpandAtFiles(false);
    }

    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {"myelin " + MyelinServer.VERSION};
        }
    }
}
