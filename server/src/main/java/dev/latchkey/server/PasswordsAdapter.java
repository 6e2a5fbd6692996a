package dev.latchkey.server;

import dev.latchkey.core.account.EmailAddress;
import dev.latchkey.core.account.PasswordHasher;
import dev.latchkey.core.account.PasswordRules;
import dev.latchkey.core.password.PasswordHashing;
import dev.latchkey.core.password.PasswordPolicy;
import dev.latchkey.core.password.PasswordViolation;
import dev.latchkey.core.password.Verification;
import java.util.List;

/** Connects the account service's password ports to the password package. */
final class PasswordsAdapter implements PasswordHasher, PasswordRules {
    private final PasswordHashing hashing;
    private final PasswordPolicy policy;

    PasswordsAdapter(PasswordHashing hashing, PasswordPolicy policy) {
        this.hashing = hashing;
        this.policy = policy;
    }

    @Override
    public String hash(String password) {
        return hashing.hash(password);
    }

    @Override
    public Match verify(String password, String storedHash) {
        return switch (hashing.verify(password, storedHash)) {
            case Verification.Match m -> m.needsRehash() ? Match.MATCH_NEEDS_REHASH : Match.MATCH;
            case Verification.Mismatch x -> Match.MISMATCH;
        };
    }

    @Override
    public void verifyDummy(String password) {
        hashing.verifyDummy(password);
    }

    @Override
    public List<String> violations(String password, EmailAddress email) {
        return policy.check(password, email == null ? null : email.value()).stream().map(PasswordViolation::message).toList();
    }
}
