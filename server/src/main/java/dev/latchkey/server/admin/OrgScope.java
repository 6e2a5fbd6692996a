package dev.latchkey.server.admin;

import dev.latchkey.core.error.ErrorCode;
import dev.latchkey.core.error.LatchkeyException;
import dev.latchkey.core.RequestContext;
import dev.latchkey.core.audit.AuditEvent;
import dev.latchkey.core.audit.AuditSink;
import dev.latchkey.core.audit.AuditType;
import io.javalin.http.Context;
import java.time.Clock;
import io.javalin.http.HandlerType;
import io.javalin.router.Endpoint;

/**
 * Default-deny for org-scoped admin keys: such a key reaches only the routes registered under
 * {@code /admin/v1/orgs/{id}} (the route itself and everything below it) whose {@code {id}} is its own
 * organization, and not the deployment-only ones among them ({@link #deploymentOnly}). Checked twice:
 * on the raw request path before routing ({@link #checkPath}), and on the route Javalin matched
 * ({@link #checkRoute}, a before-matched handler), so the check and the routing cannot disagree: a
 * request reaches a handler only if both say it is inside the key's organization.
 */
final class OrgScope {
    static final String ORGS = AdminApi.BASE + "/orgs/";
    static final String ORG_ROUTE = AdminApi.BASE + "/orgs/{id}";
    static final String KEYS_ROUTE = ORG_ROUTE + "/admin-keys";

    private OrgScope() {
    }

    /** Before routing: the raw path (undecoded, as sent) must be the key's own organization or below it. */
    static void checkPath(Context ctx, AdminCaller caller) {
        if (!caller.orgScoped()) {
            return;
        }
        String own = ORGS + caller.orgId();
        String path = ctx.path();
        if (!(path.equals(own) || path.startsWith(own + "/"))) {
            throw refused(caller, "path " + path);
        }
    }

    /** After routing, before the handler: the matched route must be one an org admin may use, for its own org. */
    static void checkRoute(Context ctx) {
        AdminCaller caller = ctx.attribute(AdminCaller.ATTRIBUTE);
        if (caller == null || !caller.orgScoped()) {
            return;
        }
        Endpoint e = ctx.endpoints().matchedHttpEndpoint();
        if (e == null || !(e.path.equals(ORG_ROUTE) || e.path.startsWith(ORG_ROUTE + "/"))) {
            throw refused(caller, "route " + (e == null ? "none" : e.path));
        }
        if (deploymentOnly(e.method, e.path)) {
            throw LatchkeyException.withMessage(ErrorCode.FORBIDDEN, "This admin key is scoped to organization " + caller.orgId()
                    + "; only a deployment admin key may " + (e.path.startsWith(KEYS_ROUTE) ? "manage organization admin keys."
                    : "delete the organization."), "org-scoped key on deployment-only route " + e.method + " " + e.path);
        }
        String id = segment(ctx.path());
        if (!caller.orgId().toString().equals(id)) {
            throw refused(caller, "org " + id);
        }
    }

    /**
     * After a successful change (not a read) made with an org-scoped key, whatever the route: one
     * {@code org_admin_action} event naming the key, its organization and the route, so routes added later are
     * audited too.
     */
    static void recordChange(Context ctx, AuditSink audit, Clock clock, RequestContext request) {
        AdminCaller caller = ctx.attribute(AdminCaller.ATTRIBUTE);
        Endpoint e = ctx.endpoints().matchedHttpEndpoint();
        if (caller == null || !caller.orgScoped() || e == null || e.method == HandlerType.GET || e.method == HandlerType.HEAD
                || ctx.statusCode() >= 400) {
            return;
        }
        audit.record(AuditEvent.of(AuditType.ORG_ADMIN_ACTION, clock.instant(), request).subject(caller.orgId().toString()).org(caller.orgId())
                .detail(e.method + " " + e.path + " -> " + ctx.statusCode() + " by " + caller.describe()).build());
    }

    /**
     * The operations under an organization's prefix that stay with deployment admins: deleting the organization
     * and everything about its admin keys (an org admin cannot mint or revoke keys, so a leaked org key cannot
     * make itself a successor).
     */
    static boolean deploymentOnly(HandlerType method, String route) {
        return (method == HandlerType.DELETE && route.equals(ORG_ROUTE)) || route.equals(KEYS_ROUTE) || route.startsWith(KEYS_ROUTE + "/");
    }

    private static String segment(String path) {
        if (!path.startsWith(ORGS)) {
            return "";
        }
        String rest = path.substring(ORGS.length());
        int slash = rest.indexOf('/');
        return slash < 0 ? rest : rest.substring(0, slash);
    }

    private static LatchkeyException refused(AdminCaller caller, String what) {
        return LatchkeyException.withMessage(ErrorCode.FORBIDDEN, "This admin key is scoped to organization " + caller.orgId()
                + ": it may only use /admin/v1/orgs/" + caller.orgId() + "/…", "org-scoped key outside its organization: " + what);
    }
}
