package io.myelin.cli;

import io.myelin.client.Axon;
import io.myelin.client.AxonFilter;
import io.myelin.client.MyelinClient;
import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code myelin axons create|list|get|update|delete}. */
@Command(name = "axons", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
        description = "Create, list, inspect, update and delete axons.",
        subcommands = {AxonsCommand.Create.class, AxonsCommand.ListAxons.class, AxonsCommand.Get.class,
                AxonsCommand.Update.class, AxonsCommand.Delete.class})
final class AxonsCommand implements Runnable {

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        throw new ParameterException(spec.commandLine(), "Missing subcommand: create, list, get, update or delete");
    }

    @Command(name = "create", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
        description = "Create an axon and print it.")
    static final class Create extends ClientCommand {
        @Option(names = "--name", description = "Optional name.")
        String name;

        @Option(names = {"-m", "--metadata"}, paramLabel = "KEY=VALUE", description = "Metadata pair; repeatable.")
        Map<String, String> metadata = new LinkedHashMap<>();

        @Option(names = {"-q", "--quiet"}, description = "Print only the new axon's id (handy in scripts).")
        boolean quiet;

        @Override
        protected int run(MyelinClient client) {
            Axon a = client.axons().create(name, metadata);
            if (quiet) {
                out().println(a.id());
            } else {
                printAxon(a, json(), out());
            }
            return ExitCode.OK;
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
            description = "List axons in creation order, paging through all of them unless --limit is given.")
    static final class ListAxons extends ClientCommand {
        @Option(names = "--name", paramLabel = "PREFIX", description = "Only axons whose name starts with PREFIX.")
        String namePrefix;

        @Option(names = "--id", description = "Only the axon with this id.")
        String id;

        @Option(names = "--search", paramLabel = "TEXT", description = "Only axons whose id or name matches TEXT.")
        String search;

        @Option(names = {"-m", "--metadata"}, paramLabel = "KEY=VALUE", description = "Only axons with this metadata pair; repeatable.")
        Map<String, String> metadata = new LinkedHashMap<>();

        @Option(names = "--metadata-in", paramLabel = "KEY=V1,V2", description = "Only axons whose KEY is one of the values; repeatable.")
        Map<String, String> metadataIn = new LinkedHashMap<>();

        @Option(names = {"-n", "--limit"}, paramLabel = "N", description = "Stop after N axons.")
        Integer limit;

        @Override
        protected int run(MyelinClient client) {
            if (limit != null && limit < 1) {
                throw new Failures.UsageProblem("--limit must be at least 1");
            }
            AxonFilter f = AxonFilter.all().namePrefix(namePrefix).id(id).search(search)
                    .pageSize(limit == null ? 500 : Math.min(limit, AxonFilter.MAX_PAGE_SIZE));
            for (Map.Entry<String, String> e : metadata.entrySet()) {
                f = f.metadata(e.getKey(), e.getValue());
            }
            for (Map.Entry<String, String> e : metadataIn.entrySet()) {
                f = f.metadataIn(e.getKey(), e.getValue().split(","));
            }
            Stream<Axon> axons = client.axons().list(f).stream();
            if (limit != null) {
                axons = axons.limit(limit);
            }
            return printList(axons, "axons", new String[] {"ID", "NAME", "CREATED", "METADATA"},
                    a -> new Object[] {a.id(), a.name(), TimeText.format(a.createdAtMs()), metadataText(a)});
        }
    }

    @Command(name = "get", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
        description = "Show one axon.")
    static final class Get extends ClientCommand {
        @Parameters(paramLabel = "AXON", description = "Axon id.")
        String axonId;

        @Override
        protected int run(MyelinClient client) {
            printAxon(client.axons().get(axonId), json(), out());
            return ExitCode.OK;
        }
    }

    @Command(name = "update", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
            description = "Replace an axon's metadata with the given pairs (or clear it).")
    static final class Update extends ClientCommand {
        @Parameters(paramLabel = "AXON", description = "Axon id.")
        String axonId;

        @Option(names = {"-m", "--metadata"}, paramLabel = "KEY=VALUE", description = "Metadata pair; repeatable. Replaces all existing metadata.")
        Map<String, String> metadata = new LinkedHashMap<>();

        @Option(names = "--clear", description = "Remove all metadata.")
        boolean clear;

        @Override
        protected int run(MyelinClient client) {
            if (clear == !metadata.isEmpty()) {
                throw new Failures.UsageProblem("give either --metadata KEY=VALUE (repeatable) or --clear");
            }
            printAxon(client.axons().updateMetadata(axonId, clear ? Map.of() : metadata), json(), out());
            return ExitCode.OK;
        }
    }

    @Command(name = "delete", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
        description = "Delete axons.")
    static final class Delete extends ClientCommand {
        @Parameters(paramLabel = "AXON", arity = "1..*", description = "Axon ids.")
        List<String> axonIds;

        @Override
        protected int run(MyelinClient client) {
            for (String id : axonIds) {
                client.axons().delete(id);
                if (json()) {
                    out().println(CliJson.MAPPER.createObjectNode().put("id", id).put("deleted", true));
                } else {
                    out().println("deleted " + id);
                }
            }
            return ExitCode.OK;
        }
    }

    static void printAxon(Axon a, boolean json, PrintWriter out) {
        if (json) {
            out.println(CliJson.line(CliJson.wire(a)));
            return;
        }
        out.println("id        " + a.id());
        out.println("name      " + (a.name() == null ? "" : a.name()));
        out.println("created   " + TimeText.format(a.createdAtMs()));
        out.println("metadata  " + metadataText(a));
    }

    private static String metadataText(Axon a) {
        return a.metadata().entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).collect(Collectors.joining(","));
    }
}
