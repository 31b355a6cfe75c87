package io.myelin.devbox;

import io.myelin.error.ErrorKind;
import io.myelin.error.MyelinException;
import io.myelin.storage.OwnerOnly;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Devboxes on this machine: each workspace is a directory {@code <root>/<devbox id>} (0700, like everything Myelin
 * creates), and each command a {@code /bin/sh -c} process of the server's own user, started in the workspace with
 * only the environment it is given. Not a sandbox: a command can read and write whatever that user can.
 *
 * <p>A command's output is read by its own platform thread ({@code myelin-devbox-output}), in lines of at most
 * {@value #MAX_LINE_CHARS} characters (longer ones are split), until the process and every descendant holding the
 * pipe have closed it. Killing a command kills its descendants first, then the shell; a process that left the tree
 * (a daemon that double-forked) is not found.
 *
 * <p>Threading: thread-safe.
 */
public final class LocalDevboxHost implements DevboxHost {
    private static final Logger log = LoggerFactory.getLogger(LocalDevboxHost.class);
    static final int MAX_LINE_CHARS = 8192;

    private final Path root;

    /**
     * @param root the directory holding the workspaces; created (0700, with missing parents) when absent
     * @throws MyelinException {@code cannot start: ...} when it is not a directory or cannot be created
     */
    public LocalDevboxHost(Path root) {
        this.root = root.toAbsolutePath().normalize();
        try {
            if (Files.exists(this.root) && !Files.isDirectory(this.root)) {
                throw new IOException("it is not a directory");
            }
            OwnerOnly.createDirectories(this.root);
            if (!Files.isWritable(this.root)) {
                throw new IOException("it is not writable by this user");
            }
            tighten();
        } catch (IOException e) {
            throw new MyelinException(ErrorKind.INTERNAL, "devboxes.root", "cannot start: devboxes.root " + this.root
                    + " cannot hold workspaces: " + e.getMessage(), e);
        }
    }

    public Path root() {
        return root;
    }

    /**
     * Takes group and other permissions off the root and each workspace directory, as the data dir's own files are
     * (a tree from an older version, or made by hand, may be looser); what commands and agents created inside a
     * workspace is theirs and keeps its modes. A shared root (sticky bit, like /tmp) keeps its own mode.
     */
    private void tighten() throws IOException {
        int changed = 0;
        if (!shared(root) && OwnerOnly.tighten(root)) {
            changed++;
        }
        try (Stream<Path> s = Files.list(root)) {
            for (Path p : (Iterable<Path>) s::iterator) {
                if (DevboxIds.wellFormed(p.getFileName().toString())
                        && Files.isDirectory(p, java.nio.file.LinkOption.NOFOLLOW_LINKS) && OwnerOnly.tighten(p)) {
                    changed++;
                }
            }
        }
        if (changed > 0) {
            log.info("permissions tightened to owner-only (0700) on {} devbox directories under {}", changed, root);
        }
    }

    private static boolean shared(Path dir) {
        try {
            return (((Integer) Files.getAttribute(dir, "unix:mode")) & 01000) != 0;
        } catch (IOException | RuntimeException notUnix) {
            return false;
        }
    }

    @Override
    public Workspace prepare(String devboxId) {
        Path dir = directoryOf(devboxId);
        try {
            OwnerOnly.createDirectory(dir);
            return new Workspace(devboxId, dir, true);
        } catch (java.nio.file.FileAlreadyExistsException e) {
            if (!Files.isDirectory(dir)) {
                throw new MyelinException(ErrorKind.INTERNAL, null, "workspace " + dir + " exists and is not a directory");
            }
            return new Workspace(devboxId, dir, false);
        } catch (IOException e) {
            throw new MyelinException(ErrorKind.INTERNAL, null, "cannot create workspace " + dir + ": " + e.getMessage(), e);
        }
    }

    private Path directoryOf(String devboxId) {
        if (!DevboxIds.wellFormed(devboxId)) {
            throw new IllegalArgumentException("not a devbox id: " + devboxId);
        }
        return root.resolve(devboxId);
    }

    @Override
    public RunningCommand start(Workspace workspace, String command, Map<String, String> environment, CommandOutput output) {
        ProcessBuilder pb = new ProcessBuilder("/bin/sh", "-c", command)
                .directory(workspace.directory().toFile())
                .redirectErrorStream(true)
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        pb.environment().clear();
        pb.environment().putAll(environment);
        Process process;
        try {
            process = pb.start();
        } catch (IOException e) {
            throw new MyelinException(ErrorKind.INTERNAL, null, "cannot start /bin/sh for devbox "
                    + workspace.devboxId() + ": " + e.getMessage(), e);
        }
        Thread reader = Thread.ofPlatform().name("myelin-devbox-output").daemon(true).start(() ->
                pump(process.getInputStream(), output, workspace.devboxId()));
        return new LocalCommand(process, reader);
    }

    /** Reads lines until the pipe closes; a reader that fails only loses output, never the command. */
    private static void pump(InputStream in, CommandOutput output, String devboxId) {
        try (Reader r = new InputStreamReader(in, StandardCharsets.UTF_8)) {
            StringBuilder line = new StringBuilder();
            char[] buf = new char[4096];
            for (int n; (n = r.read(buf)) >= 0; ) {
                for (int i = 0; i < n; i++) {
                    char c = buf[i];
                    if (c == '\n') {
                        emit(output, line);
                    } else if (c != '\r') {
                        line.append(c);
                        if (line.length() >= MAX_LINE_CHARS) {
                            emit(output, line);
                        }
                    }
                }
            }
            if (!line.isEmpty()) {
                emit(output, line);
            }
        } catch (IOException | RuntimeException e) {
            log.debug("devbox {}: command output ended: {}", devboxId, e.toString());
        }
    }

    private static void emit(CommandOutput output, StringBuilder line) {
        output.line(line.toString());
        line.setLength(0);
    }

    @Override
    public void remove(String devboxId) {
        Path dir = directoryOf(devboxId);
        try {
            deleteTree(dir);
        } catch (IOException e) {
            log.warn("devbox {}: cannot remove its workspace {}: {}", devboxId, dir, e.toString());
        }
    }

    @Override
    public int removeAllExcept(Set<String> keep) {
        int removed = 0;
        List<Path> entries;
        try (Stream<Path> s = Files.list(root)) {
            entries = s.toList();
        } catch (IOException e) {
            log.warn("cannot list devbox workspaces in {}: {}", root, e.toString());
            return 0;
        }
        for (Path p : entries) {
            String name = p.getFileName().toString();
            if (DevboxIds.wellFormed(name) && !keep.contains(name) && Files.isDirectory(p, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
                remove(name);
                removed++;
            }
        }
        return removed;
    }

    /** Deletes a tree without following symbolic links (a link is removed, never what it points to). */
    private static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        Files.walkFileTree(dir, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path d, BasicFileAttributes attrs) throws IOException {
                // A tree the agent made read-only must still go: its owner may always give itself write permission.
                if (!Files.isWritable(d)) {
                    d.toFile().setWritable(true, true);
                    d.toFile().setExecutable(true, true);
                }
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFile(Path f, BasicFileAttributes attrs) throws IOException {
                delete(f);
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult postVisitDirectory(Path d, IOException e) throws IOException {
                if (e != null) {
                    throw e;
                }
                delete(d);
                return FileVisitResult.CONTINUE;
            }
        });
    }

    private static void delete(Path p) throws IOException {
        try {
            Files.delete(p);
        } catch (NoSuchFileException gone) {
            // removed meanwhile (a process still running in it): the goal is met
        }
    }

    /** A {@code /bin/sh} process and what it started, and the thread reading their output. */
    private record LocalCommand(Process process, Thread reader) implements RunningCommand {
        /** How long output still in the pipe may take to be read once the shell has exited. */
        private static final Duration DRAIN = Duration.ofSeconds(1);

        @Override
        public OptionalInt await(Duration timeout) throws InterruptedException {
            if (!process.waitFor(timeout.toNanos(), TimeUnit.NANOSECONDS)) {
                return OptionalInt.empty();
            }
            // A background process that inherited the pipe keeps it open: then the output is simply cut here.
            reader.join(DRAIN);
            return OptionalInt.of(process.exitValue());
        }

        @Override
        public void kill() {
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly();
        }
    }
}
