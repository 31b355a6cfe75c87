package io.myelin.client.journal;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.sql.Connection;
import java.sql.Statement;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;

/**
 * The contract on {@link Journal#postgres} against the PostgreSQL on this machine ({@link #URL}): two handles on one
 * pair of tables, each with its own pool, as two processes would be. Each test uses tables of its own.
 */
class PostgresJournalTest extends JournalContract {
    static final String URL = "jdbc:postgresql://127.0.0.1:5432/test";
    static HikariDataSource first;
    static HikariDataSource second;
    private String prefix;

    static HikariDataSource pool() {
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(URL);
        config.setUsername("postgres");
        config.setMaximumPoolSize(8);
        return new HikariDataSource(config);
    }

    @BeforeAll
    static void pools() {
        first = pool();
        second = pool();
    }

    @AfterAll
    static void closePools() {
        first.close();
        second.close();
    }

    @Override
    Journal open() {
        prefix = "journal_contract_" + Long.toHexString(System.nanoTime());
        return Journal.postgres(first, prefix);
    }

    @Override
    Journal openAnother() {
        return Journal.postgres(second, prefix);
    }

    @AfterEach
    void dropTables() throws Exception {
        try (Connection c = first.getConnection(); Statement st = c.createStatement()) {
            st.execute("DROP TABLE IF EXISTS " + prefix + "_steps, " + prefix + "_chunks");
        }
    }
}
