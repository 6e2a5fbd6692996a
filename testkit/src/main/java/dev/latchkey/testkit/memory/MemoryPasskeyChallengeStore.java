package dev.latchkey.testkit.memory;

import dev.latchkey.core.credential.passkey.PasskeyChallenge;
import dev.latchkey.core.credential.passkey.PasskeyChallengeStore;
import java.time.Instant;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;

/** Passkey challenges in memory; consuming is synchronized, so exactly one of concurrent uses wins. */
public final class MemoryPasskeyChallengeStore implements PasskeyChallengeStore {
    private final Map<UUID, Row> rows = new HashMap<>();

    private static final class Row {
        final PasskeyChallenge challenge;
        Instant usedAt;

        Row(PasskeyChallenge challenge) {
            this.challenge = challenge;
        }
    }

    @Override
    public synchronized void issue(PasskeyChallenge c) {
        if (rows.values().stream().anyMatch(r -> Arrays.equals(r.challenge.challengeHash(), c.challengeHash()))) {
            throw new IllegalStateException("duplicate challenge");
        }
        rows.put(c.id(), new Row(c));
    }

    @Override
    public synchronized Consumption consume(byte[] challengeHash, byte[] bindingHash, PasskeyChallenge.Purpose purpose, Instant now) {
        Row r = rows.values().stream().filter(x -> Arrays.equals(x.challenge.challengeHash(), challengeHash)).findFirst().orElse(null);
        if (r == null) {
            return new Consumption.Refused(Reason.NOT_FOUND);
        }
        if (!Arrays.equals(r.challenge.bindingHash(), bindingHash)) {
            return new Consumption.Refused(Reason.OTHER_BROWSER);
        }
        if (r.challenge.purpose() != purpose) {
            return new Consumption.Refused(Reason.WRONG_PURPOSE);
        }
        if (r.usedAt != null) {
            return new Consumption.Refused(Reason.USED);
        }
        if (!r.challenge.expiresAt().isAfter(now)) {
            return new Consumption.Refused(Reason.EXPIRED);
        }
        r.usedAt = now;
        return new Consumption.Consumed(r.challenge);
    }

    @Override
    public synchronized int purgeExpired(Instant before) {
        int n = rows.size();
        rows.values().removeIf(r -> r.challenge.expiresAt().isBefore(before));
        return n - rows.size();
    }
}
