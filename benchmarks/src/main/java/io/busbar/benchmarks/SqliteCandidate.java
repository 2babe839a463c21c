package io.busbar.benchmarks;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;

/**
 * Candidate {@code sqlite}: SQLite through xerial's sqlite-jdbc, table {@code events(id INTEGER PRIMARY KEY, body
 * BLOB)}, one connection (the committer's); done = {@code DELETE}.
 *
 * <p>Durability: {@code journal_mode=WAL} with {@code synchronous=FULL}: each {@code COMMIT} appends the
 * transaction's pages to the WAL and syncs it before returning, so a group (one {@code BEGIN ... COMMIT} of every
 * queued insert and delete) is acknowledged after its sync. A group of done-marks only is committed with
 * {@code synchronous=NORMAL} (no WAL sync), set outside the transaction; the next {@code FULL} commit syncs the WAL
 * and with it those earlier frames. Checkpoints are SQLite's automatic ones (every 1,000 WAL pages).
 */
final class SqliteCandidate extends GroupCommitCandidate {
    private final Connection connection;
    private final Statement statement;
    private final PreparedStatement insert;
    private final PreparedStatement delete;
    private boolean fullSync = true;

    private SqliteCandidate(Path dir) throws SQLException {
        super("sqlite");
        connection = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("events.db"));
        statement = connection.createStatement();
        statement.execute("PRAGMA journal_mode=WAL");
        statement.execute("PRAGMA synchronous=FULL");
        statement.execute("CREATE TABLE IF NOT EXISTS events (id INTEGER PRIMARY KEY, body BLOB NOT NULL)");
        insert = connection.prepareStatement("INSERT INTO events (id, body) VALUES (?, ?)");
        delete = connection.prepareStatement("DELETE FROM events WHERE id = ?");
    }

    static SqliteCandidate open(Path dir) {
        try {
            return new SqliteCandidate(dir);
        } catch (SQLException e) {
            throw new IllegalStateException("sqlite: cannot open " + dir, e);
        }
    }

    @Override
    void writeGroup(long firstId, List<byte[]> records, long[] done, int doneCount, boolean sync) throws SQLException {
        if (sync != fullSync) {
            statement.execute(sync ? "PRAGMA synchronous=FULL" : "PRAGMA synchronous=NORMAL");
            fullSync = sync;
        }
        statement.execute("BEGIN");
        try {
            for (int i = 0; i < records.size(); i++) {
                insert.setLong(1, firstId + i);
                insert.setBytes(2, records.get(i));
                insert.addBatch();
            }
            if (!records.isEmpty()) {
                insert.executeBatch();
            }
            for (int i = 0; i < doneCount; i++) {
                delete.setLong(1, done[i]);
                delete.addBatch();
            }
            if (doneCount > 0) {
                delete.executeBatch();
            }
            statement.execute("COMMIT");
        } catch (SQLException e) {
            statement.execute("ROLLBACK");
            throw e;
        }
    }

    @Override
    long recoverRecords(RecordConsumer consumer) throws SQLException {
        long next = 0;
        try (ResultSet rs = statement.executeQuery("SELECT id, body FROM events ORDER BY id")) {
            while (rs.next()) {
                long id = rs.getLong(1);
                consumer.accept(id, rs.getBytes(2));
                next = id + 1;
            }
        }
        return next;
    }

    @Override
    void closeEngine() throws SQLException {
        insert.close();
        delete.close();
        statement.close();
        connection.close();
    }
}
