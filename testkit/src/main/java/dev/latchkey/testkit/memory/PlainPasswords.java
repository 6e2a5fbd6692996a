package dev.latchkey.testkit.memory;

import dev.latchkey.core.account.EmailAddress;
import dev.latchkey.core.account.PasswordHasher;
import dev.latchkey.core.account.PasswordRules;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A cheap, deterministic stand-in for Argon2id in unit tests ({@code "test$" + password}), counting
 * verifications (and new hashes) so tests can check that unknown accounts cost the same work. Rules: at least 8 characters.
 * Legacy hashes ({@code "legacy$" + password}) verify with MATCH_NEEDS_REHASH.
 */
public final class PlainPasswords implements PasswordHasher, PasswordRules {
    private final AtomicInteger verifications = new AtomicInteger();
    private final AtomicInteger hashes = new AtomicInteger();

    @Override
    public String hash(String password) {
        hashes.incrementAndGet();
        return "test$" + password;
    }

    @Override
    public Match verify(String password, String storedHash) {
        verifications.incrementAndGet();
        if (storedHash.equals("test$" + password)) {
            return Match.MATCH;
        }
        return storedHash.equals("legacy$" + password) ? Match.MATCH_NEEDS_REHASH : Match.MISMATCH;
    }

    @Override
    public void verifyDummy(String password) {
        verifications.incrementAndGet();
    }

    public int verifications() {
        return verifications.get();
    }

    /** How many new hashes were made (sign-ups, password changes, rehashes). */
    public int hashes() {
        return hashes.get();
    }

    @Override
    public List<String> violations(String password, EmailAddress email) {
        List<String> out = new ArrayList<>();
        if (password.length() < 8) {
            out.add("Use at least 8 characters.");
        }
        return out;
    }
}
