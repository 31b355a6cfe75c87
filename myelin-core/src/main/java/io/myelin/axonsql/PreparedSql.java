package io.myelin.axonsql;

import java.util.List;

/**
 * A statement that passed every check that does not need the database: split to exactly one statement,
 * allowed by the {@link StatementGuard}, sized, and with its parameters converted to bindable values.
 *
 * @param sql        the statement text without surrounding comments or the trailing {@code ;}
 * @param params     values for {@code ?} placeholders: null, Long, Double, String or byte[]
 * @param tokens     the statement's tokens, for checks that need the schema ({@link ShadowTables})
 * @param kind       what the runner must know about the statement
 * @param sqlField   field name of the SQL text, for errors ({@code sql}, {@code statements[2].sql})
 * @param paramField field name of the parameters ({@code params}, {@code statements[2].params})
 */
record PreparedSql(String sql, Object[] params, List<SqlTokenizer.Token> tokens, StatementGuard.Kind kind,
                   String sqlField, String paramField) {}
