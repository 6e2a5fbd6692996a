package dev.latchkey.core.org;

import dev.latchkey.core.RequestContext;
import dev.latchkey.core.audit.AuditEvent;
import dev.latchkey.core.audit.AuditSink;
import dev.latchkey.core.audit.AuditType;
import dev.latchkey.core.error.ErrorCode;
import dev.latchkey.core.error.LatchkeyException;
import java.time.Clock;
import java.util.List;
import java.util.Objects;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * Adding, changing and removing the members of an existing organization, each one store call ({@link OrgStore}: a
 * role change appends {@code roles_changed} to the revocation log, a removal ends the user's sessions, in the same
 * transaction) audited as {@code membership_changed} for the organization. {@code by}, when not null, names who
 * acted (an organization's admin key) and goes into the audit detail.
 */
public final class Memberships {
    public static final int MAX_ROLES = 32;
    private static final Pattern ROLE = Pattern.compile("[A-Za-z0-9:_.-]{1,64}");

    private final OrgStore orgs;
    private final AuditSink audit;
    private final Clock clock;

    public Memberships(OrgStore orgs, AuditSink audit, Clock clock) {
        this.orgs = Objects.requireNonNull(orgs, "orgs");
        this.audit = Objects.requireNonNull(audit, "audit");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** {@code roles} (null: none) when each is a role name; {@link ErrorCode#VALIDATION_FAILED} otherwise. */
    public static List<String> roles(List<String> roles) {
        List<String> r = roles == null ? List.of() : roles;
        if (r.size() > MAX_ROLES || r.stream().anyMatch(x -> x == null || !ROLE.matcher(x).matches())) {
            throw LatchkeyException.withMessage(ErrorCode.VALIDATION_FAILED,
                    "roles: at most " + MAX_ROLES + ", each 1-64 characters of letters, digits and :_.-", "bad roles");
        }
        return List.copyOf(r);
    }

    /** Sets the user's roles in the organization, adding the membership when there is none. */
    public List<String> set(UUID orgId, UUID userId, List<String> roles, String by, RequestContext ctx) {
        List<String> r = roles(roles);
        orgs.setMembership(orgId, userId, r, clock.instant());
        changed(orgId, userId, "roles " + String.join(",", r), by, ctx);
        return r;
    }

    /**
     * Sets the roles of an existing member only, in one conditional update that never adds a membership: false (and
     * nothing changed or audited) when the user is not a member.
     */
    public boolean change(UUID orgId, UUID userId, List<String> roles, String by, RequestContext ctx) {
        List<String> r = roles(roles);
        if (!orgs.changeRoles(orgId, userId, r, clock.instant())) {
            return false;
        }
        changed(orgId, userId, "roles " + String.join(",", r), by, ctx);
        return true;
    }

    /** Removes the membership; {@link ErrorCode#NOT_FOUND} "The user is not a member." when there is none. */
    public void remove(UUID orgId, UUID userId, String by, RequestContext ctx) {
        if (!orgs.removeMembership(orgId, userId, clock.instant())) {
            throw LatchkeyException.withMessage(ErrorCode.NOT_FOUND, "The user is not a member.", "no membership");
        }
        changed(orgId, userId, "removed", by, ctx);
    }

    private void changed(UUID orgId, UUID userId, String detail, String by, RequestContext ctx) {
        audit.record(AuditEvent.of(AuditType.MEMBERSHIP_CHANGED, clock.instant(), ctx).user(userId).subject(orgId.toString()).org(orgId)
                .detail(by == null ? detail : detail + " (by " + by + ")").build());
    }
}
