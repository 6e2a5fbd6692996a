package dev.latchkey.sdk.revocation;

import com.nimbusds.jose.util.JSONObjectUtils;
import java.text.ParseException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;

/**
 * One entry of the issuer's revocation log, as the feed's {@code revocation} events carry it:
 * {@code {"seq":42,"kind":"session","user_id":"…","session_id":"…"|null,"security_version":3|null,"at":"<ISO-8601>"}},
 * and for {@code roles_changed} also {@code "org_id"}, {@code "roles"} and {@code "permissions"} (the member's new ones).
 *
 * @param seq             position in the log (the SSE event id); increases, with gaps
 * @param kind            what was revoked
 * @param userId          the user ({@code sub} of the user's tokens)
 * @param sessionId       the ended session ({@code sid}), for {@link Kind#SESSION}
 * @param securityVersion the user's new security version: tokens with a lower {@code ver} are revoked
 * @param at              when the issuer revoked it
 * @param change          for {@link Kind#ROLES_CHANGED}: the organization and the member's roles and permissions there now
 */
public record RevocationEvent(long seq, Kind kind, String userId, Optional<String> sessionId, OptionalLong securityVersion, Instant at,
                              Optional<RolesChange> change) {

    /** A member's roles and permissions in an organization after a change. */
    public record RolesChange(String orgId, Set<String> roles, Set<String> permissions) {
        public RolesChange {
            Objects.requireNonNull(orgId, "orgId");
            roles = Set.copyOf(roles);
            permissions = Set.copyOf(permissions);
        }
    }

    public RevocationEvent(long seq, Kind kind, String userId, Optional<String> sessionId, OptionalLong securityVersion, Instant at) {
        this(seq, kind, userId, sessionId, securityVersion, at, Optional.empty());
    }


    /** What was revoked. */
    public enum Kind {
        /** One session, and every token issued in it. */
        SESSION,
        /** Every token of the user with a {@code ver} below the new security version (password change). */
        USER_VERSION,
        /** The user was disabled: every token issued before. */
        USER_DISABLED,
        /** The user was deleted: every token issued before. */
        USER_DELETED,
        /** The user's roles in an organization changed: that org's tokens with a role or permission the user lost. */
        ROLES_CHANGED,
        /** A service account was disabled or deleted ({@code userId} is its {@code sa_<uuid>} subject): every token of it issued before. */
        SERVICE_ACCOUNT_DISABLED;

        static Optional<Kind> fromWire(String s) {
            for (Kind k : values()) {
                if (k.name().toLowerCase(Locale.ROOT).equals(s)) {
                    return Optional.of(k);
                }
            }
            return Optional.empty();
        }
    }

    public RevocationEvent {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(userId, "userId");
        Objects.requireNonNull(sessionId, "sessionId");
        Objects.requireNonNull(securityVersion, "securityVersion");
        Objects.requireNonNull(at, "at");
        Objects.requireNonNull(change, "change");
        if (kind == Kind.SESSION && sessionId.isEmpty()) {
            throw new IllegalArgumentException("a session revocation names its session");
        }
        if (kind == Kind.ROLES_CHANGED && change.isEmpty()) {
            throw new IllegalArgumentException("a roles change names the organization and the new roles");
        }
    }

    /** Parses an event's data; an {@link IllegalArgumentException} for anything else (including a kind this SDK does not know). */
    public static RevocationEvent parse(String json) {
        try {
            Map<String, Object> o = JSONObjectUtils.parse(json);
            Object seq = o.get("seq");
            if (!(seq instanceof Number n) || n.longValue() < 0) {
                throw new IllegalArgumentException("seq is not a position");
            }
            String kind = JSONObjectUtils.getString(o, "kind");
            String user = JSONObjectUtils.getString(o, "user_id");
            String at = JSONObjectUtils.getString(o, "at");
            if (user == null || at == null) {
                throw new IllegalArgumentException("user_id and at are required");
            }
            Object ver = o.get("security_version");
            Kind k = Kind.fromWire(kind).orElseThrow(() -> new IllegalArgumentException("unknown kind " + kind));
            Optional<RolesChange> change = Optional.empty();
            if (k == Kind.ROLES_CHANGED) {
                String org = JSONObjectUtils.getString(o, "org_id");
                String[] roles = JSONObjectUtils.getStringArray(o, "roles");
                String[] permissions = JSONObjectUtils.getStringArray(o, "permissions");
                if (org == null || roles == null || permissions == null) {
                    throw new IllegalArgumentException("roles_changed without org_id, roles and permissions");
                }
                change = Optional.of(new RolesChange(org, Set.of(roles), Set.of(permissions)));
            }
            return new RevocationEvent(n.longValue(), k,
                    user, Optional.ofNullable(JSONObjectUtils.getString(o, "session_id")),
                    ver instanceof Number v ? OptionalLong.of(v.longValue()) : OptionalLong.empty(), Instant.parse(at), change);
        } catch (ParseException | DateTimeParseException | ClassCastException e) {
            throw new IllegalArgumentException("not a revocation event: " + e.getMessage(), e);
        }
    }
}
