package dev.latchkey.examples.notes;

import dev.latchkey.sdk.rls.DatabaseIdentity;
import dev.latchkey.sdk.rls.IdentityDataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;

/**
 * The notes SQL. Deliberately, no statement says whose notes it means: there is no {@code WHERE owner_id = ?}
 * and the insert names no owner. Each runs in a transaction that carries the caller's identity, and the
 * row-level security policies of {@code V2__notes.sql} decide which rows exist for it.
 */
public final class NoteStore {
    /** A list answer holds at most this many notes, newest first. */
    public static final int LIST_LIMIT = 500;
    private static final String COLUMNS = "id, owner_id, org_id, visibility, title, body, created_at";

    private final IdentityDataSource db;

    public NoteStore(IdentityDataSource db) {
        this.db = Objects.requireNonNull(db, "db");
    }

    public List<Note> list(DatabaseIdentity who) throws SQLException {
        return db.inTransaction(who, c -> {
            try (PreparedStatement s = c.prepareStatement("SELECT " + COLUMNS + " FROM demo.notes ORDER BY created_at DESC, id LIMIT "
                    + LIST_LIMIT)) {
                return all(s);
            }
        });
    }

    public Optional<Note> find(DatabaseIdentity who, UUID id) throws SQLException {
        return db.inTransaction(who, c -> {
            try (PreparedStatement s = c.prepareStatement("SELECT " + COLUMNS + " FROM demo.notes WHERE id = ?")) {
                s.setObject(1, id);
                return first(s);
            }
        });
    }

    /**
     * Inserts the note; the owner and the organization are the column defaults ({@code latchkey.uid()},
     * {@code latchkey.org_id()}). Whether the caller may is for the insert policies: an organization's note needs
     * {@code notes:write} there, and {@link #isPolicyRefusal} tells such a refusal from other failures.
     */
    public Note create(DatabaseIdentity who, NoteInput input) throws SQLException {
        return db.inTransaction(who, c -> {
            try (PreparedStatement s = c.prepareStatement("INSERT INTO demo.notes (title, body, visibility) VALUES (?, ?, ?) RETURNING "
                    + COLUMNS)) {
                s.setString(1, input.title());
                s.setString(2, input.body());
                s.setString(3, input.visibility().orElse(Visibility.PRIVATE).wireName());
                return first(s).orElseThrow();
            }
        });
    }

    /** A row-level security policy (or a column grant) refused the statement: SQLSTATE 42501, insufficient_privilege. */
    public static boolean isPolicyRefusal(SQLException e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SQLException s && "42501".equals(s.getSQLState())) {
                return true;
            }
        }
        return false;
    }

    public Optional<Note> replace(DatabaseIdentity who, UUID id, NoteInput input) throws SQLException {
        return db.inTransaction(who, c -> {
            try (PreparedStatement s = c.prepareStatement("UPDATE demo.notes SET title = ?, body = ? WHERE id = ? RETURNING " + COLUMNS)) {
                s.setString(1, input.title());
                s.setString(2, input.body());
                s.setObject(3, id);
                return first(s);
            }
        });
    }

    public boolean delete(DatabaseIdentity who, UUID id) throws SQLException {
        return db.inTransaction(who, c -> {
            try (PreparedStatement s = c.prepareStatement("DELETE FROM demo.notes WHERE id = ?")) {
                s.setObject(1, id);
                return s.executeUpdate() == 1;
            }
        });
    }

    /**
     * Whether {@code who} owns the note: empty when they cannot see it at all. (The owner comparison is in the select
     * list, not a {@code WHERE}: which rows exist is still for row-level security to say.)
     */
    public Optional<Boolean> isOwner(DatabaseIdentity who, UUID id) throws SQLException {
        return db.inTransaction(who, c -> {
            try (PreparedStatement s = c.prepareStatement("SELECT owner_id = (SELECT latchkey.uid()) FROM demo.notes WHERE id = ?")) {
                s.setObject(1, id);
                try (ResultSet r = s.executeQuery()) {
                    return r.next() ? Optional.of(r.getBoolean(1)) : Optional.empty();
                }
            }
        });
    }

    /** How many notes {@code who} can see: for tests and health checks of the policies. */
    public long count(DatabaseIdentity who) throws SQLException {
        return db.inTransaction(who, NoteStore::count);
    }

    /** How many notes a connection can see with whatever identity it carries. */
    public static long count(Connection c) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("SELECT count(*) FROM demo.notes"); ResultSet r = s.executeQuery()) {
            r.next();
            return r.getLong(1);
        }
    }

    private static List<Note> all(PreparedStatement s) throws SQLException {
        List<Note> notes = new ArrayList<>();
        try (ResultSet r = s.executeQuery()) {
            while (r.next()) {
                notes.add(map(r));
            }
        }
        return notes;
    }

    private static Optional<Note> first(PreparedStatement s) throws SQLException {
        try (ResultSet r = s.executeQuery()) {
            return r.next() ? Optional.of(map(r)) : Optional.empty();
        }
    }

    private static Note map(ResultSet r) throws SQLException {
        return new Note(r.getObject("id", UUID.class), r.getObject("owner_id", UUID.class), Optional.ofNullable(r.getString("org_id")),
                Visibility.valueOf(r.getString("visibility").toUpperCase(java.util.Locale.ROOT)), r.getString("title"), r.getString("body"),
                r.getObject("created_at", java.time.OffsetDateTime.class).toInstant());
    }
}
