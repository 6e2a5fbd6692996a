package dev.latchkey.testkit.memory;

import dev.latchkey.core.account.User;
import dev.latchkey.core.account.UserStore;
import dev.latchkey.core.mail.MailPurpose;
import dev.latchkey.core.mail.MailToken;
import dev.latchkey.core.mail.MailTokenStore;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/** Mailed tokens in memory; redemptions are synchronized, so exactly one of concurrent redemptions wins. */
public final class MemoryMailTokenStore implements MailTokenStore {
    private final UserStore users;
    private final Map<UUID, Row> rows = new HashMap<>();

    private static final class Row {
        final MailToken token;
        Instant usedAt;
        int attempts;

        Row(MailToken token) {
            this.token = token;
        }
    }

    public MemoryMailTokenStore(UserStore users) {
        this.users = users;
    }

    @Override
    public synchronized void create(MailToken token) {
        if (rows.values().stream().anyMatch(r -> Arrays.equals(r.token.tokenHash(), token.tokenHash()))) {
            throw new IllegalStateException("duplicate token hash");
        }
        rows.put(token.id(), new Row(token));
    }

    @Override
    public synchronized Redemption redeem(byte[] tokenHash, MailPurpose purpose, Instant now) {
        List<Row> match = rows.values().stream().filter(r -> Arrays.equals(r.token.tokenHash(), tokenHash)).toList();
        for (Row r : match) {
            if (r.token.purpose() == purpose && usable(r, now)) {
                r.usedAt = now;
                return new Redemption.Redeemed(r.token);
            }
        }
        return new Redemption.Refused(why(match, purpose, now, Integer.MAX_VALUE));
    }

    @Override
    public synchronized Redemption redeemCode(byte[] bindingHash, byte[] codeHash, MailPurpose purpose, Instant now, int maxAttempts) {
        List<Row> match = rows.values().stream().filter(r -> r.token.bindingHash() != null && Arrays.equals(r.token.bindingHash(), bindingHash))
                .toList();
        List<Row> live = new ArrayList<>();
        for (Row r : match) {
            if (r.token.purpose() == purpose && r.token.codeHash() != null && r.attempts < maxAttempts && usable(r, now)) {
                live.add(r);
            }
        }
        Row won = null;
        for (Row r : live) {
            r.attempts++;
            if (Arrays.equals(r.token.codeHash(), codeHash)) {
                r.usedAt = now;
                won = r;
            }
        }
        if (won != null) {
            return new Redemption.Redeemed(won.token);
        }
        if (!live.isEmpty()) {
            return new Redemption.Refused(Reason.WRONG_CODE);
        }
        return new Redemption.Refused(why(match, purpose, now, maxAttempts));
    }

    @Override
    public synchronized Optional<MailToken> peek(byte[] tokenHash, MailPurpose purpose, Instant now) {
        return rows.values().stream().filter(r -> Arrays.equals(r.token.tokenHash(), tokenHash) && r.token.purpose() == purpose && usable(r, now))
                .map(r -> r.token).findFirst();
    }

    @Override
    public synchronized int purgeExpired(Instant before) {
        int n = rows.size();
        rows.values().removeIf(r -> r.token.expiresAt().isBefore(before));
        return n - rows.size();
    }

    private boolean usable(Row r, Instant now) {
        if (r.usedAt != null || !r.token.expiresAt().isAfter(now)) {
            return false;
        }
        Optional<User> u = users.findById(r.token.userId());
        return u.isPresent() && u.get().active() && u.get().securityVersion() == r.token.userVersion();
    }

    private Reason why(List<Row> match, MailPurpose purpose, Instant now, int maxAttempts) {
        if (match.isEmpty()) {
            return Reason.NOT_FOUND;
        }
        List<Reason> reasons = new ArrayList<>();
        for (Row r : match) {
            reasons.add(r.token.purpose() != purpose ? Reason.WRONG_PURPOSE : r.usedAt != null ? Reason.USED
                    : !r.token.expiresAt().isAfter(now) ? Reason.EXPIRED : r.attempts >= maxAttempts ? Reason.TOO_MANY_ATTEMPTS : Reason.STALE);
        }
        for (Reason r : List.of(Reason.TOO_MANY_ATTEMPTS, Reason.STALE, Reason.EXPIRED, Reason.USED, Reason.WRONG_PURPOSE)) {
            if (reasons.contains(r)) {
                return r;
            }
        }
        return Reason.NOT_FOUND;
    }
}
