package io.myelin.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The command line's own parsers: SQL scripts and parameters, durations, points in time, tables; its help. */
@Timeout(30)
class CliParsingTest {
    /** A parent's help lists each command with only the first line of its description: it must be a sentence. */
    @Test
    void everyCommandSummaryIsACompleteSentence() {
        java.util.Deque<picocli.CommandLine> todo = new java.util.ArrayDeque<>(List.of(Main.commandLine()));
        int seen = 0;
        while (!todo.isEmpty()) {
            picocli.CommandLine c = todo.pop();
            todo.addAll(c.getSubcommands().values());
            if (c.getCommand() instanceof picocli.CommandLine.HelpCommand) {
                continue;
            }
            String[] description = c.getCommandSpec().usageMessage().description();
            assertThat(description).as(c.getCommandSpec().qualifiedName()).isNotEmpty();
            assertThat(description[0]).as(c.getCommandSpec().qualifiedName()).endsWith(".");
            seen++;
        }
        assertThat(seen).isGreaterThan(20);
    }

    @Test
    void splitsScriptsAtTopLevelSemicolonsOnly() {
        String script = """
                -- schema; with a semicolon in a comment
                CREATE TABLE t (id INTEGER PRIMARY KEY, body TEXT DEFAULT 'a;b');
                /* block; comment */ INSERT INTO t (body) VALUES ('it''s; fine');
                CREATE TRIGGER t_ai AFTER INSERT ON t BEGIN
                  UPDATE t SET body = body || ';' WHERE id = new.id;
                  SELECT CASE WHEN 1 THEN 1 END;
                END;
                INSERT INTO "we;ird" VALUES (1)
                """;
        assertThat(SqlScript.split(script)).containsExactly(
                "CREATE TABLE t (id INTEGER PRIMARY KEY, body TEXT DEFAULT 'a;b')",
                "INSERT INTO t (body) VALUES ('it''s; fine')",
                """
                CREATE TRIGGER t_ai AFTER INSERT ON t BEGIN
                  UPDATE t SET body = body || ';' WHERE id = new.id;
                  SELECT CASE WHEN 1 THEN 1 END;
                END""",
                "INSERT INTO \"we;ird\" VALUES (1)");
        assertThat(SqlScript.split(" ;\n-- only a comment\n")).isEmpty();
    }

    @Test
    void sqlParametersKeepJsonScalarTypes() {
        assertThat(SqlCommand.paramValue("42")).isEqualTo(42L);
        assertThat(SqlCommand.paramValue("1.5")).isEqualTo(1.5);
        assertThat(SqlCommand.paramValue("true")).isEqualTo(true);
        assertThat(SqlCommand.paramValue("null")).isNull();
        assertThat(SqlCommand.paramValue("\"007\"")).isEqualTo("007");
        assertThat(SqlCommand.paramValue("007")).isEqualTo("007");
        assertThat(SqlCommand.paramValue("hello world")).isEqualTo("hello world");
        assertThat(SqlCommand.paramValue("1 2")).isEqualTo("1 2");
        assertThat(SqlCommand.paramValue("[1]")).isEqualTo("[1]");
        assertThat(SqlCommand.paramValue("{\"$blob\":\"AQI=\"}")).isEqualTo(java.util.Map.of("$blob", "AQI="));
    }

    @Test
    void durationsReadLikePeopleWriteThem() {
        assertThat(DurationText.parse("500ms")).isEqualTo(Duration.ofMillis(500));
        assertThat(DurationText.parse("90s")).isEqualTo(Duration.ofSeconds(90));
        assertThat(DurationText.parse("1.5s")).isEqualTo(Duration.ofMillis(1500));
        assertThat(DurationText.parse("5m")).isEqualTo(Duration.ofMinutes(5));
        assertThat(DurationText.parse("2h")).isEqualTo(Duration.ofHours(2));
        assertThat(DurationText.parse("PT1M")).isEqualTo(Duration.ofMinutes(1));
        assertThat(DurationText.parse("3")).isEqualTo(Duration.ofSeconds(3));
        assertThatThrownBy(() -> DurationText.parse("soon")).isInstanceOf(Failures.UsageProblem.class);
        assertThatThrownBy(() -> DurationText.parse("0s")).isInstanceOf(Failures.UsageProblem.class);
    }

    @Test
    void pointsInTimeAreADurationFromNowOrAnInstant() {
        assertThat(TimeText.when("--deadline", "10m")).isEqualTo(new TimeText.When(null, Duration.ofMinutes(10)));
        assertThat(TimeText.when("--fire", "2030-01-31T09:00:00Z"))
                .isEqualTo(new TimeText.When(java.time.Instant.parse("2030-01-31T09:00:00Z"), null));
        assertThat(TimeText.when("--fire", "PT1H")).isEqualTo(new TimeText.When(null, Duration.ofHours(1)));
        assertThat(TimeText.when("--fire", null)).isNull();
        assertThatThrownBy(() -> TimeText.when("--deadline", "2030-01-31T09:00")).isInstanceOf(Failures.UsageProblem.class)
                .hasMessageContaining("--deadline");
        assertThatThrownBy(() -> TimeText.when("--deadline", "tomorrow")).isInstanceOf(Failures.UsageProblem.class)
                .hasMessageContaining("--deadline");
    }

    @Test
    void tablesAlignAndKeepOneLinePerRow() {
        java.io.StringWriter sw = new java.io.StringWriter();
        new Table("ID", "NAME").row("a", "multi\nline").row("longer-id", null).print(new java.io.PrintWriter(sw, true));
        assertThat(sw.toString().lines()).containsExactly("ID         NAME", "a          multi line", "longer-id");
    }
}
