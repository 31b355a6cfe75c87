package io.myelin.axonsql;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

class AxonSqlLruTest extends SqlTestSupport {
    private static final int CAP = 20;

    @Override
    SqlLimits limits() {
        return patient().maxOpenDatabases(CAP).build();
    }

    private static long openFds() throws IOException {
        try (Stream<Path> fds = Files.list(Path.of("/proc/self/fd"))) {
            return fds.count();
        }
    }

    private static long openDbFds() throws IOException {
        long n = 0;
        try (Stream<Path> fds = Files.list(Path.of("/proc/self/fd"))) {
            for (Path fd : fds.toList()) {
                try {
                    String target = Files.readSymbolicLink(fd).toString();
                    if (target.contains(".db")) {
                        n++;
                    }
                } catch (IOException gone) {
                    // the directory stream's own descriptor, already closed
                }
            }
        }
        return n;
    }

    @Test
    void touchingManyAxonsKeepsOpenDatabasesAndDescriptorsUnderTheCap() throws IOException {
        q("axn_warm", "SELECT 1");
        long baseline = openFds();
        int axons = Integer.getInteger("myelin.sql.lruAxons", 500);
        for (int i = 0; i < axons; i++) {
            q("axn_" + i, "SELECT 1");
            if (i % 50 == 0) {
                assertThat(sql().openDatabases()).isLessThanOrEqualTo(CAP);
                // WAL mode: db, -wal and -shm per open database.
                assertThat(openDbFds()).isLessThanOrEqualTo(3L * CAP);
                assertThat(openFds()).isLessThanOrEqualTo(baseline + 3L * CAP + 16);
            }
        }
        assertThat(sql().openDatabases()).isEqualTo(CAP);
        sql().close();
        assertThat(sql().openDatabases()).isZero();
        assertThat(openDbFds()).isZero();
    }

    @Test
    void evictedDatabasesAreCheckpointedAndReopenWithTheirData() throws IOException {
        for (int i = 0; i < CAP * 3; i++) {
            q("axn_" + i, "CREATE TABLE t (v TEXT)");
            q("axn_" + i, "INSERT INTO t VALUES (?)", "value " + i);
        }
        Path first = sql().databaseFile("axn_0");
        Path wal = first.resolveSibling("axn_0.db-wal");
        assertThat(!Files.exists(wal) || Files.size(wal) == 0).as("WAL truncated on eviction").isTrue();
        for (int i = 0; i < CAP * 3; i++) {
            assertThat(scalar("axn_" + i, "SELECT v FROM t")).isEqualTo("value " + i);
        }
        assertThat(sql().openDatabases()).isLessThanOrEqualTo(CAP);
    }

    @Test
    void recentlyUsedDatabasesStayOpen() {
        for (int i = 0; i < CAP; i++) {
            q("axn_" + i, "SELECT 1");
        }
        // Touch axn_0 so that axn_1 becomes the eldest, then open one more.
        q("axn_0", "SELECT 1");
        q("axn_new", "SELECT 1");
        assertThat(sql().openDatabases()).isEqualTo(CAP);
        assertThat(sql().isOpen("axn_0")).isTrue();
        assertThat(sql().isOpen("axn_1")).as("least recently used, evicted").isFalse();
        assertThat(sql().isOpen("axn_2")).isTrue();
        assertThat(sql().isOpen("axn_new")).isTrue();
    }
}
