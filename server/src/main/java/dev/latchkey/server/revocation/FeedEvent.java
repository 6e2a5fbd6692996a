package dev.latchkey.server.revocation;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.latchkey.core.session.Revocation;
import java.util.List;

/**
 * One revocation-log entry as the feed sends it (the {@code data} of an SSE {@code revocation} event, an
 * element of the long-poll {@code events}). Every member is always present; absent ones are {@code null}.
 *
 * @param seq              position in the log; the SSE event id, and what a consumer resumes after
 * @param kind             {@code session}, {@code user_version}, {@code user_disabled}, {@code user_deleted}, {@code roles_changed}
 *                         or {@code service_account_disabled}
 * @param user_id          the user concerned; for {@code service_account_disabled} the account's token subject
 *                         ({@code sa_<uuid>}): every token of it issued up to {@code at} is revoked
 * @param session_id       the ended session, for {@code session}
 * @param security_version the user's new security version: tokens with a lower {@code ver} are revoked
 * @param at               when it was revoked (ISO-8601, UTC)
 * @param org_id           for {@code roles_changed}: the organization
 * @param roles            for {@code roles_changed}: the member's roles there now
 * @param permissions      for {@code roles_changed}: the member's permissions there now; a token of the
 *                         user for that org with any other role or permission is revoked
 */
@JsonInclude(JsonInclude.Include.ALWAYS)
record FeedEvent(long seq, String kind, String user_id, String session_id, Integer security_version, String at,
                 String org_id, List<String> roles, List<String> permissions) {

    static FeedEvent of(Revocation r) {
        String subject = r.kind() == Revocation.Kind.SERVICE_ACCOUNT_DISABLED
                ? dev.latchkey.core.token.TokenPrincipal.ServiceAccount.PREFIX + r.userId() : r.userId().toString();
        return new FeedEvent(r.seq(), r.kind().wireName(), subject,
                r.sessionId() == null ? null : r.sessionId().toString(), r.securityVersion(), r.at().toString(),
                r.orgId() == null ? null : r.orgId().toString(), r.roles(), r.permissions());
    }
}
