package dev.latchkey.testkit.memory;

import dev.latchkey.core.mail.MailOutbox;
import dev.latchkey.core.mail.OutgoingMail;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** The outbox in memory: claims are synchronized, so concurrent claimers take disjoint mails. */
public final class MemoryMailOutbox implements MailOutbox {
    private final Map<UUID, Row> rows = new LinkedHashMap<>();

    private static final class Row {
        final OutgoingMail mail;
        Instant due;
        int attempts;
        UUID claim;
        Instant leaseUntil;
        Instant sentAt;
        Instant givenUpAt;
        boolean givenUp;
        String lastError;

        Row(OutgoingMail mail) {
            this.mail = mail;
            this.due = mail.createdAt();
        }
    }

    @Override
    public synchronized void enqueue(OutgoingMail mail) {
        rows.put(mail.id(), new Row(mail));
    }

    @Override
    public synchronized List<Claimed> claim(int max, Instant now, Duration lease) {
        UUID claim = UUID.randomUUID();
        List<Claimed> out = new ArrayList<>();
        for (Row r : rows.values().stream().sorted(Comparator.comparing(r -> r.due)).toList()) {
            if (out.size() >= max) {
                break;
            }
            if (r.sentAt == null && !r.givenUp && !r.due.isAfter(now) && (r.leaseUntil == null || !r.leaseUntil.isAfter(now))) {
                r.claim = claim;
                r.leaseUntil = now.plus(lease);
                out.add(new Claimed(r.mail, claim, r.attempts));
            }
        }
        return out;
    }

    @Override
    public synchronized boolean markSent(UUID mailId, UUID claim, Instant now) {
        Row r = rows.get(mailId);
        if (r == null || r.sentAt != null || !claim.equals(r.claim)) {
            return false;
        }
        r.sentAt = now;
        r.leaseUntil = null;
        return true;
    }

    @Override
    public synchronized void markFailed(UUID mailId, UUID claim, Instant retryAt, String error, boolean giveUp) {
        Row r = rows.get(mailId);
        if (r == null || r.sentAt != null || !claim.equals(r.claim)) {
            return;
        }
        r.attempts++;
        r.due = retryAt;
        r.claim = null;
        r.leaseUntil = null;
        r.lastError = error;
        r.givenUp = giveUp;
        r.givenUpAt = giveUp ? retryAt : null;
    }

    @Override
    public synchronized int purgeDone(Instant before) {
        int n = rows.size();
        rows.values().removeIf(r -> r.sentAt != null && r.sentAt.isBefore(before) || r.givenUpAt != null && r.givenUpAt.isBefore(before));
        return n - rows.size();
    }

    @Override
    public synchronized long pending() {
        return rows.values().stream().filter(r -> r.sentAt == null && !r.givenUp).count();
    }

    /** The last error recorded for a mail (null if none). */
    public synchronized String lastError(UUID mailId) {
        Row r = rows.get(mailId);
        return r == null ? null : r.lastError;
    }
}
