package dev.latchkey.store.sql;

import dev.latchkey.core.crypto.MasterKey;
import dev.latchkey.core.mail.MailOutbox;
import dev.latchkey.core.mail.OutgoingMail;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * The mail outbox on PostgreSQL. A claim is one UPDATE over rows picked with
 * {@code FOR UPDATE SKIP LOCKED} whose lease is free, so concurrent nodes take disjoint mails.
 * Bodies are sealed with the master key (they hold sign-in links) and wiped once a mail is done.
 */
public final class PgMailOutbox implements MailOutbox {
    private final Jdbc jdbc;
    private final MasterKey key;

    public PgMailOutbox(Jdbc jdbc, MasterKey key) {
        this.jdbc = jdbc;
        this.key = key;
    }

    @Override
    public void enqueue(OutgoingMail m) {
        jdbc.withConnection(c -> {
            enqueue(c, m);
            return null;
        });
    }

    /** Puts a mail in the outbox inside the caller's transaction (a store whose change and mail commit together). */
    void enqueue(java.sql.Connection c, OutgoingMail m) throws SQLException {
        Jdbc.update(c, "INSERT INTO mail_outbox (id, to_address, subject, body, created_at, due_at) VALUES (?, ?, ?, ?, ?, ?)",
                m.id(), m.to(), m.subject(), seal(m), m.createdAt(), m.createdAt());
    }

    @Override
    public List<Claimed> claim(int max, Instant now, Duration lease) {
        UUID claim = UUID.randomUUID();
        return jdbc.query("""
                UPDATE mail_outbox o SET claim_id = ?, lease_until = ?
                WHERE o.id IN (SELECT id FROM mail_outbox
                               WHERE sent_at IS NULL AND given_up_at IS NULL AND due_at <= ? AND (lease_until IS NULL OR lease_until <= ?)
                               ORDER BY due_at LIMIT ? FOR UPDATE SKIP LOCKED)
                RETURNING o.*""", rs -> new Claimed(open(rs), claim, rs.getInt("attempts")), claim, now.plus(lease), now, now, max);
    }

    @Override
    public boolean markSent(UUID mailId, UUID claim, Instant now) {
        return jdbc.update("""
                UPDATE mail_outbox SET sent_at = ?, body = NULL, lease_until = NULL, last_error = NULL
                WHERE id = ? AND claim_id = ? AND sent_at IS NULL""", now, mailId, claim) == 1;
    }

    @Override
    public void markFailed(UUID mailId, UUID claim, Instant retryAt, String error, boolean giveUp) {
        jdbc.update("""
                UPDATE mail_outbox SET attempts = attempts + 1, due_at = ?, claim_id = NULL, lease_until = NULL, last_error = ?,
                       given_up_at = CASE WHEN ? THEN now() ELSE NULL END, body = CASE WHEN ? THEN NULL ELSE body END
                WHERE id = ? AND claim_id = ? AND sent_at IS NULL""",
                retryAt, error == null ? null : error.length() > 500 ? error.substring(0, 500) : error, giveUp, giveUp, mailId, claim);
    }

    @Override
    public int purgeDone(Instant before) {
        return jdbc.update("DELETE FROM mail_outbox WHERE sent_at < ? OR given_up_at < ?", before, before);
    }

    @Override
    public long pending() {
        return jdbc.queryOne("SELECT count(*) FROM mail_outbox WHERE sent_at IS NULL AND given_up_at IS NULL", rs -> rs.getLong(1)).orElse(0L);
    }

    private byte[] seal(OutgoingMail m) {
        byte[] text = m.text().getBytes(StandardCharsets.UTF_8);
        byte[] html = m.html() == null ? new byte[0] : m.html().getBytes(StandardCharsets.UTF_8);
        ByteBuffer b = ByteBuffer.allocate(5 + text.length + html.length);
        b.putInt(text.length).put(text).put((byte) (m.html() == null ? 0 : 1)).put(html);
        return key.seal(b.array(), "mail-outbox:" + m.id());
    }

    private OutgoingMail open(ResultSet rs) throws SQLException {
        UUID id = Jdbc.uuid(rs, "id");
        ByteBuffer b = ByteBuffer.wrap(key.open(rs.getBytes("body"), "mail-outbox:" + id));
        byte[] text = new byte[b.getInt()];
        b.get(text);
        boolean hasHtml = b.get() == 1;
        byte[] html = new byte[b.remaining()];
        b.get(html);
        return new OutgoingMail(id, rs.getString("to_address"), rs.getString("subject"), new String(text, StandardCharsets.UTF_8),
                hasHtml ? new String(html, StandardCharsets.UTF_8) : null, Jdbc.instant(rs, "created_at"));
    }
}
