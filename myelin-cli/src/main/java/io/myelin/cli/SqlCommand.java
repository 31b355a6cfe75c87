package io.myelin.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.myelin.client.MyelinClient;
import io.myelin.client.SqlBatchResult;
import io.myelin.client.SqlResult;
import io.myelin.client.SqlStatement;
import io.myelin.client.SqlStep;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code myelin sql AXON "SQL" [--param V ...]} and {@code myelin sql AXON --file script.sql}. */
@Command(name = "sql", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
        description = {"Run SQL against an axon's database and print the result as a table.",
                "With --file, run every statement of the file as one atomic batch and report each step."})
final class SqlCommand extends ClientCommand {
    @Parameters(index = "0", paramLabel = "AXON", description = "Axon id.")
    String axonId;

    @Parameters(index = "1", arity = "0..1", paramLabel = "SQL", description = "One statement, with ? placeholders.")
    String sql;

    @Option(names = {"-p", "--param"}, paramLabel = "VALUE",
            description = {"Value for the next ? placeholder; repeatable.",
                    "JSON scalars keep their type (42, 1.5, true, null, \"007\"); {\"$blob\":\"BASE64\"} is a BLOB;",
                    "anything else is text."})
    List<String> params = new ArrayList<>();

    @Option(names = {"-f", "--file"}, paramLabel = "FILE", description = "Run the statements in FILE as one atomic batch.")
    Path file;

    @Override
    protected int run(MyelinClient client) throws IOException {
        if ((sql == null) == (file == null)) {
            throw new Failures.UsageProblem("give either a SQL statement or --file FILE");
        }
        if (file != null) {
            if (!params.isEmpty()) {
                throw new Failures.UsageProblem("--param only goes with a single statement, not --file");
            }
            return runFile(client);
        }
        SqlResult r = client.axon(axonId).sql().query(sql, params.stream().map(SqlCommand::paramValue).toArray());
        if (json()) {
            out().println(CliJson.line(CliJson.wire(r)));
        } else {
            printResult(r);
        }
        return ExitCode.OK;
    }

    private int runFile(MyelinClient client) throws IOException {
        List<String> statements = SqlScript.split(Files.readString(file));
        if (statements.isEmpty()) {
            throw new Failures.UsageProblem("no SQL statements in " + file);
        }
        SqlBatchResult batch = client.axon(axonId).sql().batch(statements.stream().map(SqlStatement::of).toList());
        for (int i = 0; i < batch.results().size(); i++) {
            SqlStep step = batch.results().get(i);
            String stmt = i < statements.size() ? statements.get(i) : "";
            if (json()) {
                ObjectNode o = CliJson.MAPPER.createObjectNode().put("step", i + 1).put("sql", stmt);
                if (step.ok()) {
                    o.set("success", CliJson.wire(step.success()));
                } else {
                    o.set("error", CliJson.wire(step.error()));
                }
                out().println(CliJson.line(o));
            } else if (step.ok()) {
                out().println("step " + (i + 1) + " ok      " + Table.cell(stmt) + "  (" + step.success().meta().changes()
                        + " changes, " + step.success().rows().size() + " rows)");
            } else {
                out().println("step " + (i + 1) + " FAILED  " + Table.cell(stmt) + "  " + step.error().message());
            }
        }
        if (!batch.ok()) {
            err().println("myelin: step " + (batch.firstFailure().orElse(0) + 1) + " failed; the whole batch was rolled back");
            return ExitCode.REJECTED;
        }
        if (!json()) {
            out().println(batch.results().size() + " statements applied");
        }
        return ExitCode.OK;
    }

    private void printResult(SqlResult r) {
        if (!r.columns().isEmpty()) {
            Table t = new Table(r.columns().stream().map(c -> c.name()).toArray(String[]::new));
            r.rows().forEach(row -> t.row(row.toArray()));
            t.print(out());
        }
        String rows = r.rows().size() + (r.rows().size() == 1 ? " row" : " rows");
        out().println("(" + rows + ", " + r.meta().changes() + " changes, " + r.meta().durationMs() + " ms)");
        if (r.meta().rowsReadLimitReached()) {
            err().println("myelin: result truncated at the server's row limit");
        }
    }

    /** A JSON scalar keeps its type; anything else (including malformed JSON) is sent as text. */
    static Object paramValue(String text) {
        JsonNode n = CliJson.tryParse(text);
        if (n != null && n.isObject() && n.size() == 1 && n.path("$blob").isTextual()) {
            return java.util.Map.of("$blob", n.get("$blob").asText()); // the wire's BLOB form, passed through
        }
        if (n == null || n.isContainerNode()) {
            return text;
        }
        if (n.isNull()) {
            return null;
        }
        if (n.isIntegralNumber()) {
            return n.asLong();
        }
        if (n.isNumber()) {
            return n.asDouble();
        }
        if (n.isBoolean()) {
            return n.asBoolean();
        }
        return n.asText();
    }
}
