package dev.latchkey.server.revocation;

import dev.latchkey.core.error.ErrorCode;
import dev.latchkey.core.error.LatchkeyException;
import dev.latchkey.core.oauth.authorize.RawParams;
import dev.latchkey.store.sql.PgRevocationLog;
import java.time.Instant;
import java.util.OptionalLong;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where a feed consumer resumes: after the position it names, or, when it names none, before the
 * entries of the replay window (the longest access-token lifetime), so a consumer that just started
 * learns of every revocation whose tokens may still be valid.
 */
final class ResumePoint {
    private static final Logger LOG = LoggerFactory.getLogger(ResumePoint.class);
    private static final Pattern POSITION = Pattern.compile("0|[1-9][0-9]{0,17}");

    private ResumePoint() {
    }

    /**
     * The position the request names: {@code Last-Event-ID} (HTML §9.2.4: what an event source sends when
     * it reconnects to the same URL) wins over {@code ?after=}, which then still holds the first position.
     */
    static OptionalLong requested(String lastEventId, RawParams query) {
        if (query.duplicated("after")) {
            throw LatchkeyException.withMessage(ErrorCode.INVALID_REQUEST, "The parameter 'after' was sent more than once.", "duplicate after");
        }
        if (lastEventId != null && !lastEventId.isEmpty()) {
            return OptionalLong.of(parse(lastEventId.strip(), "Last-Event-ID"));
        }
        String after = query.get("after");
        return after == null ? OptionalLong.empty() : OptionalLong.of(parse(after, "after"));
    }

    /** The position to read after. One past the log's head came from another database (a restore): replay the window. */
    static long resolve(OptionalLong requested, PgRevocationLog log, Instant windowStart) {
        if (requested.isPresent()) {
            long head = log.head();
            if (requested.getAsLong() <= head) {
                return requested.getAsLong();
            }
            LOG.warn("a revocation feed consumer resumes after {} but the log ends at {}; replaying the window instead",
                    requested.getAsLong(), head);
        }
        return log.positionBefore(windowStart);
    }

    private static long parse(String s, String what) {
        if (!POSITION.matcher(s).matches()) {
            throw LatchkeyException.withMessage(ErrorCode.INVALID_REQUEST, what + " must be a revocation sequence number.", "bad " + what);
        }
        return Long.parseLong(s);
    }
}
