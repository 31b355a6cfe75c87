package io.myelin.storage.sqlite;

import java.sql.Connection;
import java.sql.SQLException;

/** A unit of work against one JDBC connection; the caller owns the connection's lifecycle. */
@FunctionalInterface
public interface SqlWork<T> {
    T run(Connection connection) throws SQLException;
}
