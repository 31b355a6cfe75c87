package io.myelin.axonsql;

import io.myelin.error.MyelinException;
import io.myelin.storage.OwnerOnly;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.regex.Pattern;
import java.util.zip.CRC32;

/**
 * Where an axon's database lives: {@code <root>/<shard>/<axonId>.db}, plus SQLite's {@code -wal} and
 * {@code -shm} side files next to it.
 *
 * <p>The shard is the low byte of the CRC-32 of the id, in hex: ids share prefixes ({@code axn_...}), so
 * their first characters would put every file in one directory. CRC-32 is fixed by its specification, so
 * the layout is stable across JVMs and releases; changing it would orphan existing databases.
 *
 * <p>Every directory of the tree is created 0700 and every database file 0600 ({@link OwnerOnly}).
 *
 * <p>The id is validated before it becomes part of a path ({@code [A-Za-z0-9_-]{1,128}}: no dots, slashes or
 * separators), and the resolved path is checked to stay under the root anyway.
 */
final class DatabaseFiles {

    static final Pattern AXON_ID = Pattern.compile("[A-Za-z0-9_-]{1,128}");
    private static final List<String> SUFFIXES = List.of("", "-wal", "-shm", "-journal");

    private final Path root;

    DatabaseFiles(Path root) {
        this.root = root.toAbsolutePath().normalize();
        String s = this.root.toString();
        if (s.contains("?") || s.contains("#") || s.startsWith("file:")) {
            // sqlite-jdbc reads '?' in a JDBC URL as the start of connection parameters.
            throw new IllegalArgumentException("SQL data directory must not contain '?' or '#': " + s);
        }
    }

    Path root() {
        return root;
    }

    static void validateId(String axonId) {
        if (axonId == null || !AXON_ID.matcher(axonId).matches()) {
            throw MyelinException.invalid("id", "axon id must match [A-Za-z0-9_-]{1,128}: "
                    + (axonId == null ? "null" : SqlParams.abbreviate(axonId)));
        }
    }

    Path fileFor(String axonId) {
        validateId(axonId);
        CRC32 crc = new CRC32();
        crc.update(axonId.getBytes(StandardCharsets.US_ASCII));
        String shard = String.format("%02x", crc.getValue() & 0xff);
        Path file = root.resolve(shard).resolve(axonId + ".db").normalize();
        if (!file.startsWith(root)) {
            throw new IllegalStateException("database path escapes the SQL root: " + file);
        }
        return file;
    }

    /**
     * Creates the database file, empty and 0600, unless it exists, and its shard directory (0700) first, syncing
     * each new entry's directory so it survives a crash. An empty file is a valid empty database, and SQLite gives
     * the {@code -wal} and {@code -shm} files it creates the database file's mode, so they are 0600 too.
     *
     * @throws IOException when the directory or file cannot be created (read-only filesystem, full disk, ...)
     */
    void ensureFile(Path dbFile) throws IOException {
        Path dir = dbFile.getParent();
        if (!Files.isDirectory(dir)) {
            OwnerOnly.createDirectories(dir);
            syncDirectory(dir.getParent());
        }
        if (OwnerOnly.createFile(dbFile)) {
            syncDirectory(dir);
        }
    }

    /** Deletes the database and its side files; returns true when a database file existed. */
    boolean delete(String axonId) {
        Path db = fileFor(axonId);
        boolean existed = false;
        try {
            for (String suffix : SUFFIXES) {
                existed |= Files.deleteIfExists(db.resolveSibling(db.getFileName() + suffix)) && suffix.isEmpty();
            }
            if (existed) {
                syncDirectory(db.getParent());
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete SQL database of axon " + axonId + " at " + db, e);
        }
        return existed;
    }

    /** Ids of every database file under the root (side files and foreign names ignored). */
    List<String> existingIds() {
        if (!Files.isDirectory(root)) {
            return List.of();
        }
        try (var paths = Files.walk(root, 2)) {
            return paths.filter(Files::isRegularFile)
                    .map(p -> p.getFileName().toString())
                    .filter(n -> n.endsWith(".db"))
                    .map(n -> n.substring(0, n.length() - 3))
                    .filter(id -> AXON_ID.matcher(id).matches())
                    .sorted()
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list SQL databases under " + root, e);
        }
    }

    static void syncDirectory(Path dir) {
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        } catch (IOException e) {
            // Some file systems refuse to open or sync directories; durability then rests on SQLite's syncs.
        }
    }
}
