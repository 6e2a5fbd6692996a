package dev.latchkey.store.sql;

import dev.latchkey.core.authn.CompletedStep;
import dev.latchkey.core.authn.Factor;
import dev.latchkey.core.authn.PendingSignIn;
import dev.latchkey.core.authn.PendingSignInStore;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/** Second-factor challenges on PostgreSQL; consuming one is a single {@code DELETE … RETURNING}. */
public final class PgPendingSignInStore implements PendingSignInStore {
    private final Jdbc jdbc;

    public PgPendingSignInStore(Jdbc jdbc) {
        this.jdbc = jdbc;
    }

    @Override
    public void save(Stored s) {
        jdbc.update("""
                INSERT INTO mfa_challenges (id_hash, binding_hash, user_id, steps, started_at, factors, enrolment, expires_at)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?)""",
                s.idHash(), s.bindingHash(), s.pending().userId(), steps(s.pending().steps()), s.pending().startedAt(),
                s.factors().stream().map(Factor::wireName).sorted().collect(Collectors.joining(" ")), s.enrolment(), s.expiresAt());
    }

    @Override
    public Optional<Stored> peek(byte[] idHash, byte[] bindingHash, Instant now) {
        return jdbc.queryOne("SELECT * FROM mfa_challenges WHERE id_hash = ? AND binding_hash = ? AND expires_at > ?",
                PgPendingSignInStore::map, idHash, bindingHash, now);
    }

    @Override
    public Optional<Stored> consume(byte[] idHash, byte[] bindingHash, Instant now) {
        return jdbc.queryOne("DELETE FROM mfa_challenges WHERE id_hash = ? AND binding_hash = ? AND expires_at > ? RETURNING *",
                PgPendingSignInStore::map, idHash, bindingHash, now);
    }

    @Override
    public int purgeExpired(Instant before) {
        return jdbc.update("DELETE FROM mfa_challenges WHERE expires_at <= ?", before);
    }

    static String steps(List<CompletedStep> steps) {
        return steps.stream().map(s -> s.factor().wireName() + "@" + Jdbc.micros(s.at())).collect(Collectors.joining(" "));
    }

    static List<CompletedStep> parseSteps(String text) {
        List<CompletedStep> out = new ArrayList<>();
        for (String part : text.strip().split(" +")) {
            int at = part.indexOf('@');
            Factor f = Factor.fromWire(part.substring(0, at)).orElseThrow(() -> new IllegalStateException("unknown factor in stored challenge: " + part));
            out.add(new CompletedStep(f, Instant.parse(part.substring(at + 1))));
        }
        return out;
    }

    private static Stored map(ResultSet rs) throws SQLException {
        Set<Factor> factors = EnumSet.noneOf(Factor.class);
        for (String f : rs.getString("factors").split(" ")) {
            Factor.fromWire(f).ifPresent(factors::add);
        }
        PendingSignIn p = new PendingSignIn(Jdbc.uuid(rs, "user_id"), parseSteps(rs.getString("steps")), Jdbc.instant(rs, "started_at"));
        return new Stored(rs.getBytes("id_hash"), rs.getBytes("binding_hash"), p, factors, rs.getBoolean("enrolment"),
                Jdbc.instant(rs, "expires_at"));
    }
}
