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

/**
 * Defining roles: deployment-wide ({@code orgId} null) or an organization's own. A changed definition
 * reaches members' tokens at their next mint (a refresh; at most the access-token lifetime), because
 * {@link OrgClaims} reads the definitions then. Each change is audited, per organization.
 */
public final class Roles {
    private final RoleStore roles;
    private final OrgStore orgs;
    private final AuditSink audit;
    private final Clock clock;

    public Roles(RoleStore roles, OrgStore orgs, AuditSink audit, Clock clock) {
        this.roles = Objects.requireNonNull(roles, "roles");
        this.orgs = Objects.requireNonNull(orgs, "orgs");
        this.audit = Objects.requireNonNull(audit, "audit");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** Creates or replaces a role; permissions are validated ({@link Permission}). */
    public Role define(UUID orgId, String name, String description, List<String> permissions, RequestContext ctx) {
        requireOrg(orgId);
        Role r = new Role(orgId, name, description == null || description.isBlank() ? null : description.strip(),
                permissions == null ? List.of() : permissions, clock.instant());
        roles.put(r);
        audit.record(AuditEvent.of(AuditType.ROLE_DEFINED, r.updatedAt(), ctx).subject(scope(orgId)).org(orgId)
                .detail(name + " = " + String.join(" ", r.permissions())).build());
        return r;
    }

    public List<Role> list(UUID orgId) {
        requireOrg(orgId);
        return roles.list(orgId);
    }

    public Role get(UUID orgId, String name) {
        requireOrg(orgId);
        return roles.find(orgId, name).orElseThrow(() -> LatchkeyException.withMessage(ErrorCode.NOT_FOUND, "No such role.", "unknown role " + name));
    }

    /** Deletes a role; members keep the name, which then grants nothing (or the deployment role's permissions). */
    public void delete(UUID orgId, String name, RequestContext ctx) {
        requireOrg(orgId);
        if (!roles.delete(orgId, name)) {
            throw LatchkeyException.withMessage(ErrorCode.NOT_FOUND, "No such role.", "delete unknown role " + name);
        }
        audit.record(AuditEvent.of(AuditType.ROLE_DELETED, clock.instant(), ctx).subject(scope(orgId)).org(orgId).detail(name).build());
    }

    private void requireOrg(UUID orgId) {
        if (orgId != null && orgs.find(orgId).isEmpty()) {
            throw LatchkeyException.withMessage(ErrorCode.NOT_FOUND, "No such organization.", "unknown org " + orgId);
        }
    }

    private static String scope(UUID orgId) {
        return orgId == null ? "deployment" : orgId.toString();
    }
}
