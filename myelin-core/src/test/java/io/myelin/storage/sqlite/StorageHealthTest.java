package io.myelin.storage.sqlite;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.awaitility.Awaitility.await;

import io.myelin.error.ErrorKind;
import io.myelin.error.MyelinException;
import io.myelin.storage.StorageHealth;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.sqlite.SQLiteErrorCode;
import org.sqlite.SQLiteException;

/**
 * The writer's failures and the node's writability, on a real {@code myelin.db}: storage-class failures make the node
 * not writable and the probe's test write makes it writable again (the temp dir's disk has room); statement errors
 * never count. The storage failures are raised by an op inside the real group transaction, the way SQLite raises
 * them; a real full disk is {@code FullDiskTest} in myelin-server.
 */
@Timeout(60)
class StorageHealthTest {
    @TempDir
    Path dir;
    SqliteStores storage;

    @BeforeEach
    void open() {
        storage = SqliteStores.open(StorageOptions.defaults(dir));
    }

    @AfterEach
    void close() {
        storage.close();
    }

    /** An op that fails its group as SQLite would, with {@code code}. */
    private MyelinException failGroup(SQLiteErrorCode code) {
        Throwable t = catchThrowable(() -> WriteCall.run(storage.writer(), new WriteCall<Void>() {
            @Override
            public void apply(Connection c, WriteGroup g) throws SQLException {
                throw new SQLiteException("[" + code.name() + "] " + code.message, code);
            }
        }));
        assertThat(t).isInstanceOf(MyelinException.class);
        return (MyelinException) t;
    }

    @Test
    void aFullDiskFailsTheGroupWith507AndTheProbeClearsItOnceWritesWork() {
        StorageHealth health = storage.health();
        assertThat(health.writable()).isTrue();
        MyelinException e = failGroup(SQLiteErrorCode.SQLITE_FULL);
        assertThat(e.kind()).isEqualTo(ErrorKind.INSUFFICIENT_STORAGE);
        assertThat(e.getMessage()).startsWith("the server's disk is full: nothing in this group of 1 write was stored")
                .doesNotContain(dir.toString());
        assertThat(health.writable()).isFalse();
        assertThat(health.reason()).startsWith("disk full").doesNotContain(dir.toString());
        await().atMost(Duration.ofSeconds(20)).until(health::writable);
        assertThat(health.reason()).isNull();
    }

    @Test
    void anIoErrorWithRoomOnDiskIs503AndStillMakesTheNodeNotWritable() {
        MyelinException e = failGroup(SQLiteErrorCode.SQLITE_IOERR_FSYNC);
        assertThat(e.kind()).isEqualTo(ErrorKind.UNAVAILABLE);
        assertThat(storage.health().writable()).isFalse();
        assertThat(storage.health().reason()).startsWith("storage error");
        await().atMost(Duration.ofSeconds(20)).until(storage.health()::writable);
    }

    @Test
    void statementErrorsDoNotCount() {
        Throwable t = catchThrowable(() -> WriteCall.run(storage.writer(), new WriteCall<Void>() {
            @Override
            public void apply(Connection c, WriteGroup g) throws SQLException {
                try (Statement st = c.createStatement()) {
                    st.execute("INSERT INTO no_such_table VALUES (1)");
                }
            }
        }));
        assertThat(((MyelinException) t).kind()).as("a failing statement fails its own write only").isEqualTo(ErrorKind.INTERNAL);
        assertThat(storage.health().writable()).isTrue();
    }
}
