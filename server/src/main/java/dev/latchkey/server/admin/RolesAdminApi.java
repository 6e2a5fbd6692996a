package dev.latchkey.server.admin;

import dev.latchkey.core.error.ErrorCode;
import dev.latchkey.core.error.LatchkeyException;
import dev.latchkey.core.org.Role;
import dev.latchkey.core.org.Roles;
import dev.latchkey.server.http.Endpoints;
import dev.latchkey.server.http.JsonBodies;
import dev.latchkey.server.http.JsonResponses;
import dev.latchkey.server.http.Requests;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Role definitions in the admin API (behind {@link AdminApi}'s authentication of {@code /admin/v1/*}):
 * deployment-wide roles under {@code /admin/v1/roles}, an organization's own under
 * {@code /admin/v1/orgs/{id}/roles}. {@code PUT …/{name}} with {@code {"description": …, "permissions":
 * ["notes:read", …]}} creates or replaces one; {@code GET} lists or reads; {@code DELETE} removes.
 */
public final class RolesAdminApi implements Endpoints {
    private final Roles roles;
    private final dev.latchkey.core.org.OrgStore orgs;
    private final JsonBodies bodies;
    private final Requests requests;
    private final JsonResponses responses;

    public RolesAdminApi(Roles roles, dev.latchkey.core.org.OrgStore orgs, JsonBodies bodies, Requests requests) {
        this.roles = roles;
        this.orgs = orgs;
        this.bodies = bodies;
        this.requests = requests;
        this.responses = new JsonResponses(bodies.mapper());
    }

    record RoleBody(String description, List<String> permissions) {
    }

    @Override
    public void register(RoutesConfig r) {
        r.get(AdminApi.BASE + "/orgs/{id}/members", this::members);
        for (String base : List.of(AdminApi.BASE + "/roles", AdminApi.BASE + "/orgs/{id}/roles")) {
            r.get(base, ctx -> responses.write(ctx, 200, Map.of("roles", roles.list(org(ctx)).stream().map(RolesAdminApi::render).toList())));
            r.get(base + "/{name}", ctx -> responses.write(ctx, 200, render(roles.get(org(ctx), ctx.pathParam("name")))));
            r.put(base + "/{name}", ctx -> {
                RoleBody b = bodies.read(ctx, RoleBody.class);
                Role role = roles.define(org(ctx), ctx.pathParam("name"), b.description(), b.permissions(), requests.context(ctx));
                responses.write(ctx, 200, render(role));
            });
            r.delete(base + "/{name}", ctx -> {
                roles.delete(org(ctx), ctx.pathParam("name"), requests.context(ctx));
                ctx.status(204);
            });
        }
    }

    /**
     * {@code GET /admin/v1/orgs/{id}/members?limit=100&after=<user id>}: one page of members by user id,
     * {@code {"members":[{"user_id","roles","created_at"}],"next":"<user id>"|null}}; {@code next} is the
     * {@code after} of the following page.
     */
    void members(Context ctx) {
        UUID org = org(ctx);
        if (orgs.find(org).isEmpty()) {
            throw LatchkeyException.withMessage(ErrorCode.NOT_FOUND, "No such organization.", "unknown org");
        }
        AdminPage<UUID> page = AdminPage.of(ctx, 1000, UUID::fromString, "a user id");
        responses.write(ctx, 200, page.body("members", orgs.members(org, page.after(), page.limit()), m -> {
            Map<String, Object> o = new LinkedHashMap<>();
            o.put("user_id", m.userId().toString());
            o.put("roles", m.roles());
            o.put("created_at", m.createdAt().toString());
            return o;
        }, m -> m.userId().toString()));
    }

    /** The organization in the path, or null for the deployment-wide roles. */
    static UUID org(Context ctx) {
        String id = ctx.pathParamMap().get("id");
        if (id == null) {
            return null;
        }
        try {
            return UUID.fromString(id);
        } catch (IllegalArgumentException e) {
            throw LatchkeyException.withMessage(ErrorCode.NOT_FOUND, "No such organization.", "malformed org id");
        }
    }

    static Map<String, Object> render(Role r) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", r.name());
        m.put("org_id", r.orgId() == null ? null : r.orgId().toString());
        m.put("description", r.description());
        m.put("permissions", r.permissions());
        m.put("updated_at", r.updatedAt().toString());
        return m;
    }
}
