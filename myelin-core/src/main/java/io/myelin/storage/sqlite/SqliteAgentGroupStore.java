package io.myelin.storage.sqlite;

import io.myelin.broker.AgentGroup;
import io.myelin.broker.AgentGroupStore;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/** {@link AgentGroupStore} over table {@code agent_groups} (migration V7). Writes go through the writer thread. */
final class SqliteAgentGroupStore implements AgentGroupStore {
    private final GroupCommitWriter writer;
    private final ReadPool reads;

    SqliteAgentGroupStore(GroupCommitWriter writer, ReadPool reads) {
        this.writer = writer;
        this.reads = reads;
    }

    @Override
    public List<AgentGroup> loadAll() {
        return reads.read(c -> {
            List<AgentGroup> out = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT pgid, start_time, label FROM agent_groups");
                 ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new AgentGroup(rs.getLong(1), rs.getLong(2), rs.getString(3)));
                }
            }
            return out;
        });
    }

    @Override
    public void add(AgentGroup group) {
        write("INSERT OR IGNORE INTO agent_groups(pgid, start_time, label) VALUES (?, ?, ?)", group, true);
    }

    @Override
    public void remove(AgentGroup group) {
        write("DELETE FROM agent_groups WHERE pgid = ? AND start_time = ?", group, false);
    }

    private void write(String sql, AgentGroup group, boolean withLabel) {
        WriteCall.run(writer, new WriteCall<Boolean>() {
            @Override
            public void apply(Connection c, WriteGroup g) throws SQLException {
                try (PreparedStatement ps = c.prepareStatement(sql)) {
                    ps.setLong(1, group.pgid());
                    ps.setLong(2, group.startTime());
                    if (withLabel) {
                        ps.setString(3, group.label());
                    }
                    ps.executeUpdate();
                }
                result(Boolean.TRUE);
            }
        });
    }
}
