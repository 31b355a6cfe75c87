package io.myelin.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.myelin.testkit.InjectServer;
import io.myelin.testkit.TestServer;
import io.myelin.testkit.WithMyelinServer;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs the examples of {@code README.md} so they cannot rot. A fenced block directly preceded by
 * {@code <!-- doc-test -->} is executed: {@code sh} blocks together, in order, as one bash script with
 * {@code myelin} on the PATH; each {@code java} block is compiled and run as its own program. Both get
 * {@code MYELIN_URL} and {@code MYELIN_API_KEY} for a real server. A {@code java} block tagged {@code fragment} is
 * compiled inside a method (so snippets cannot drift from the API).
 */
// Every example command starts a JVM, a few dozen in all: seconds each on a loaded 2-core machine.
@Timeout(value = 20, unit = TimeUnit.MINUTES)
@WithMyelinServer
class DocsExamplesTest {
    private static final Path DOC = Path.of("..", "README.md");
    private static final Pattern MARKER = Pattern.compile("^<!-- doc-test(?::\\s*([\\w\\s,-]+))? -->$");

    record Block(String lang, Set<String> tags, String code, int line) {
    }

    @InjectServer
    static TestServer server;

    static List<Block> blocks() throws IOException {
        List<String> lines = Files.readAllLines(DOC);
        List<Block> out = new ArrayList<>();
        for (int i = 0; i < lines.size() - 1; i++) {
            Matcher m = MARKER.matcher(lines.get(i).strip());
            if (!m.matches() || !lines.get(i + 1).startsWith("```")) {
                continue;
            }
            Set<String> tags = m.group(1) == null ? Set.of() : Set.of(m.group(1).strip().split("[\\s,]+"));
            String lang = lines.get(i + 1).substring(3).strip();
            StringBuilder code = new StringBuilder();
            int j = i + 2;
            while (!lines.get(j).startsWith("```")) {
                code.append(lines.get(j++)).append('\n');
            }
            out.add(new Block(lang, tags, code.toString(), i + 3));
            i = j;
        }
        return out;
    }

    @Test
    void theDocumentHasTestedExamplesOfBothKinds() throws IOException {
        assertThat(blocks()).extracting(Block::lang).contains("sh", "java");
        assertThat(blocks()).allSatisfy(b -> assertThat(b.lang()).isIn("sh", "java"));
    }

    @Test
    void shellExamplesRun(@TempDir Path work) throws Exception {
        Path bin = Files.createDirectories(work.resolve("bin"));
        Path launcher = bin.resolve("myelin");
        Files.writeString(launcher, "#!/usr/bin/env bash\nexec '" + java() + "' --enable-native-access=ALL-UNNAMED -XX:TieredStopAtLevel=1 -cp '"
                + System.getProperty("java.class.path") + "' io.myelin.cli.Main \"$@\"\n");
        Files.setPosixFilePermissions(launcher, PosixFilePermissions.fromString("rwxr-xr-x"));

        StringBuilder script = new StringBuilder("set -euo pipefail\ntrap 'echo \"FAILED (exit $?) at: $BASH_COMMAND\" >&2' ERR\n");
        int count = 0;
        for (Block b : blocks()) {
            if (b.lang().equals("sh")) {
                script.append("# --- docs line ").append(b.line()).append('\n').append(b.code());
                count++;
            }
        }
        assertThat(count).isGreaterThanOrEqualTo(3);
        Path file = work.resolve("examples.sh");
        Files.writeString(file, script);

        Path log = work.resolve("output.txt");
        ProcessBuilder pb = new ProcessBuilder("bash", file.toString()).directory(work.toFile())
                .redirectErrorStream(true).redirectOutput(log.toFile());
        pb.environment().put("PATH", bin + File.pathSeparator + System.getenv("PATH"));
        pb.environment().put("MYELIN_URL", server.baseUrl());
        pb.environment().put("MYELIN_API_KEY", TestServer.ADMIN_KEY);
        Process p = pb.start();
        boolean done = p.waitFor(15, TimeUnit.MINUTES);
        if (!done) {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
        }
        String output = Files.readString(log);
        assertThat(done).as("examples finished in time; output:\n%s", output).isTrue();
        assertThat(p.exitValue()).as("examples exit status; output:\n%s", output).isZero();
        // A few spot checks that the commands did what the text says.
        assertThat(output).contains("published #1", "exit status 3", "Hi there!", "turn.completed", "last-seq 3", "deleted ");
        assertThat(output).contains("statements applied", "second; with a semicolon");
        assertThat(output).contains("exit status 5", "\"outcome\":\"fired\"");
    }

    @Test
    void javaExamplesCompileAndRun(@TempDir Path work) throws Exception {
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        int ran = 0;
        for (Block b : blocks()) {
            if (!b.lang().equals("java")) {
                continue;
            }
            if (b.tags().contains("fragment")) {
                compileFragment(javac, b, work);
                continue;
            }
            Matcher m = Pattern.compile("public class (\\w+)").matcher(b.code());
            assertThat(m.find()).as("java block at docs line %d names its class", b.line()).isTrue();
            Path src = work.resolve(m.group(1) + ".java");
            Files.writeString(src, b.code());
            int compiled = javac.run(null, null, null, "-d", work.toString(), "-cp", System.getProperty("java.class.path"),
                    "--release", "21", src.toString());
            assertThat(compiled).as("javac of the example at docs line %d", b.line()).isZero();
            ProcessBuilder pb = new ProcessBuilder(java(), "-cp", work + File.pathSeparator + System.getProperty("java.class.path"),
                    m.group(1)).redirectErrorStream(true);
            pb.environment().put("MYELIN_URL", server.baseUrl());
            pb.environment().put("MYELIN_API_KEY", TestServer.ADMIN_KEY);
            Process p = pb.start();
            String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
            assertThat(p.exitValue()).as("example at docs line %d; output:\n%s", b.line(), output).isZero();
            ran++;
        }
        assertThat(ran).isGreaterThanOrEqualTo(1);
    }

    /** A snippet that is not a whole program must at least compile, inside a method with the usual names in scope. */
    private static void compileFragment(JavaCompiler javac, Block b, Path work) throws IOException {
        String name = "Fragment" + b.line();
        Path src = work.resolve(name + ".java");
        Files.writeString(src, "import io.myelin.client.*;\nimport java.time.Duration;\nimport java.util.*;\n"
                + "class " + name + " {\n    void run(MyelinClient client, String id) throws Exception {\n"
                + b.code() + "    }\n}\n");
        int compiled = javac.run(null, null, null, "-d", work.toString(), "-cp", System.getProperty("java.class.path"),
                "--release", "21", src.toString());
        assertThat(compiled).as("javac of the fragment at docs line %d", b.line()).isZero();
    }

    private static String java() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }
}
