package io.myelin.axonsql;

import io.myelin.error.ErrorKind;
import io.myelin.error.MyelinException;
import io.myelin.axonsql.SqlTokenizer.Token;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Set;

/**
 * Stands in for the part of SQLite's defensive mode ({@code SQLITE_DBCONFIG_DEFENSIVE}, unreachable through
 * sqlite-jdbc) that matters here: the shadow tables of virtual tables ({@code docs_data}, {@code docs_idx}, ...
 * of an FTS5 table {@code docs}; {@code _content}, {@code _segments}, {@code _segdir}, {@code _docsize},
 * {@code _stat} of FTS3/4; {@code _node}, {@code _parent}, {@code _rowid} of R*Tree) must not be written
 * directly. Hand-crafted shadow-table content is the classic way to feed a parser corrupt structures.
 *
 * <p>Which names are shadow tables depends on the schema, so this runs in the axon's lane, right before the
 * statement is prepared, and costs nothing unless a statement that may write names something ending in a
 * shadow suffix: only then is {@code sqlite_schema} asked whether the prefix is a virtual table.
 *
 * <p>Ordering hazard: a trigger can name a table that does not exist yet, so a trigger created first and a
 * virtual table created later would make the trigger a shadow-table writer. So creating a virtual table is
 * refused while any trigger names one of its shadow tables.
 */
final class ShadowTables {
    static final List<String> SUFFIXES = List.of("_content", "_segments", "_segdir", "_docsize", "_stat", "_data",
            "_idx", "_config", "_node", "_parent", "_rowid");
    private static final Set<String> READ_ONLY_LEADS = Set.of("select", "values", "explain", "pragma");

    private ShadowTables() {}

    static void check(AxonConnection c, List<Token> tokens, String field) throws SQLException {
        Token lead = tokens.getFirst();
        if (lead.type() == SqlTokenizer.Type.WORD && READ_ONLY_LEADS.contains(Ascii.lower(lead.value()))) {
            return;
        }
        for (Token t : tokens) {
            if (!t.isName()) {
                continue;
            }
            String name = Ascii.lower(t.value());
            for (String suffix : SUFFIXES) {
                if (name.length() > suffix.length() && name.endsWith(suffix)) {
                    String owner = name.substring(0, name.length() - suffix.length());
                    if (isVirtualTable(c, owner)) {
                        throw new MyelinException(ErrorKind.FORBIDDEN, field, "writing to " + t.value()
                                + ", a shadow table of virtual table " + owner + ", is refused: only the virtual"
                                + " table itself may change it");
                    }
                }
            }
        }
        String created = createdVirtualTable(tokens);
        if (created != null) {
            refuseTriggersNaming(c, Ascii.lower(created), field);
        }
    }

    /** The name in {@code CREATE VIRTUAL TABLE [IF NOT EXISTS] [schema.]name USING ...}, else null. */
    static String createdVirtualTable(List<Token> tokens) {
        if (tokens.size() < 4 || !tokens.get(0).isKeyword("create") || !tokens.get(1).isKeyword("virtual")
                || !tokens.get(2).isKeyword("table")) {
            return null;
        }
        for (int i = 3; i < tokens.size(); i++) {
            if (tokens.get(i).isKeyword("using")) {
                return i > 3 && tokens.get(i - 1).isName() ? tokens.get(i - 1).value() : null;
            }
        }
        return null;
    }

    private static boolean isVirtualTable(AxonConnection c, String name) throws SQLException {
        try (PreparedStatement ps = c.jdbc().prepareStatement("SELECT 1 FROM sqlite_schema WHERE type = 'table'"
                + " AND lower(name) = ? AND sql LIKE 'CREATE VIRTUAL TABLE%'")) {
            ps.setString(1, name);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next();
            }
        }
    }

    private static void refuseTriggersNaming(AxonConnection c, String table, String field) throws SQLException {
        try (PreparedStatement ps = c.jdbc().prepareStatement(
                "SELECT name, sql FROM sqlite_schema WHERE type = 'trigger'");
             ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                String sql = rs.getString(2);
                if (sql == null) {
                    continue;
                }
                for (Token t : SqlTokenizer.tokenize(sql, field)) {
                    String name = t.isName() ? Ascii.lower(t.value()) : "";
                    for (String suffix : SUFFIXES) {
                        if (name.equals(table + suffix)) {
                            throw new MyelinException(ErrorKind.FORBIDDEN, field, "creating virtual table " + table
                                    + " is refused: trigger " + rs.getString(1) + " names its shadow table "
                                    + t.value());
                        }
                    }
                }
            }
        }
    }
}
