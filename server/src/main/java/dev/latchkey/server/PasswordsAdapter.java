package dev.latchkey.server;

import dev.latchkey.core.account.EmailAddress;
import dev.latchkey.core.account.PasswordHasher;
import dev.latchkey.core.account.PasswordRules;
import dev.latchkey.core.password.PasswordHashing;
import dev.latchkey.core.password.PasswordPolicy;
import dev.latchkey.core.password.PasswordViolation;
import dev.latchkey.core.password.Verification;
import java.util.List;
import java.util.concurrent.Semaphore;
import java.util.function.Supplier;

/**
 * Connects the account service's password ports to the password package. At most a few hashes run
 * at once (twice the cores): more in flight only queue for the same cores while each holds its
 * Argon2 memory (19 MiB at the defaults), so the cap bounds memory without costing throughput.
 */
final class PasswordsAdapter implements PasswordHasher, PasswordRules {
    private final PasswordHashing hashing;
    private final PasswordPolicy policy;
    private final Semaphore slots;

    PasswordsAdapter(PasswordHashing hashing, PasswordPolicy policy, int maxConcurrentHashes) {
        this.hashing = hashing;
        this.policy = policy;
        this.slots = new Semaphore(maxConcurrentHashes, true);
    }

    @Override
    public String hash(String password) {
        return bounded(() -> hashing.hash(password));
    }

    @Override
    public Match verify(String password, String storedHash) {
        return bounded(() -> switch (hashing.verify(password, storedHash)) {
            case Verification.Match m -> m.needsRehash() ? Match.MATCH_NEEDS_REHASH : Match.MATCH;
            case Verification.Mismatch x -> Match.MISMATCH;
        });
    }

    @Override
    public void verifyDummy(String password) {
        bounded(() -> {
            hashing.verifyDummy(password);
            return null;
        });
    }

    private <T> T bounded(Supplier<T> work) {
        slots.acquireUninterruptibly();
        try {
            return work.get();
        } finally {
            slots.release();
        }
    }

    @Override
    public List<String> violations(String password, EmailAddress email) {
        return policy.check(password, email == null ? null : email.value()).stream().map(PasswordViolation::message).toList();
    }
}
