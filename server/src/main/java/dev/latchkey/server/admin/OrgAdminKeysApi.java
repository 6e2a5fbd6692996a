package dev.latchkey.server.admin;

import dev.latchkey.core.audit.AuditEvent;
import dev.latchkey.core.audit.AuditSink;
import dev.latchkey.core.audit.AuditType;
import dev.latchkey.core.error.ErrorCode;
import dev.latchkey.core.error.LatchkeyException;
import dev.latchkey.core.org.OrgStore;
import dev.latchkey.server.http.Endpoints;
import dev.latchkey.server.http.JsonBodies;
import dev.latchkey.server.http.JsonResponses;
import dev.latchkey.server.http.Requests;
import dev.latchkey.store.sql.PgAdminKeys;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

/**
 * An organization's admin keys, for deployment admins only ({@link OrgScope#deploymentOnly}):
 * {@code POST /admin/v1/orgs/{id}/admin-keys} {@code {"name": "…"}} creates one and answers its secret once;
 * {@code GET} lists them (never a secret); {@code DELETE …/admin-keys/{key id}} revokes one at once.
 */
public final class OrgAdminKeysApi implements Endpoints {
    private final PgAdminKeys keys;
    private final OrgStore orgs;
    private final AuditSink audit;
    private final Clock clock;
    private final JsonBodies bodies;
    private final Requests requests;
    private final JsonResponses responses;

    public OrgAdminKeysApi(PgAdminKeys keys, OrgStore orgs, AuditSink audit, Clock clock, JsonBodies bodies, Requests requests) {
        this.keys = keys;
        this.orgs = orgs;
        this.audit = audit;
        this.clock = clock;
        this.bodies = bodies;
        this.requests = requests;
        this.responses = new JsonResponses(bodies.mapper());
    }

    record KeyBody(String name) {
    }

    @Override
    public void register(RoutesConfig r) {
        r.post(OrgScope.KEYS_ROUTE, this::create);
        r.get(OrgScope.KEYS_ROUTE, ctx -> responses.write(ctx, 200,
                Map.of("admin_keys", keys.list(org(ctx)).stream().map(OrgAdminKeysApi::render).toList())));
        r.delete(OrgScope.KEYS_ROUTE + "/{key}", this::revoke);
    }

    void create(Context ctx) {
        UUID org = org(ctx);
        String name = JsonBodies.bounded(JsonBodies.required(bodies.read(ctx, KeyBody.class).name(), "name"), "name", 200).strip();
        if (name.isEmpty()) {
            throw LatchkeyException.withMessage(ErrorCode.VALIDATION_FAILED, "name must not be blank.", "blank key name");
        }
        PgAdminKeys.Created c = keys.create(name, org, clock.instant());
        audit.record(AuditEvent.of(AuditType.ADMIN_KEY_CREATED, clock.instant(), requests.context(ctx)).subject(org.toString()).org(org)
                .detail("key " + c.key().id() + " by " + AdminCaller.of(ctx).describe()).build());
        Map<String, Object> m = render(c.key());
        m.put("key", c.secret());
        responses.write(ctx, 201, m);
    }

    void revoke(Context ctx) {
        UUID org = org(ctx);
        UUID id;
        try {
            id = UUID.fromString(ctx.pathParam("key"));
        } catch (IllegalArgumentException e) {
            throw LatchkeyException.withMessage(ErrorCode.NOT_FOUND, "No such admin key.", "malformed key id");
        }
        if (!keys.revoke(id, org, clock.instant())) {
            throw LatchkeyException.withMessage(ErrorCode.NOT_FOUND, "No such active admin key of this organization.", "unknown org key");
        }
        audit.record(AuditEvent.of(AuditType.ADMIN_KEY_REVOKED, clock.instant(), requests.context(ctx)).subject(org.toString()).org(org)
                .detail("key " + id + " by " + AdminCaller.of(ctx).describe()).build());
        ctx.status(204);
    }

    private UUID org(Context ctx) {
        UUID id = RolesAdminApi.org(ctx);
        if (orgs.find(id).isEmpty()) {
            throw LatchkeyException.withMessage(ErrorCode.NOT_FOUND, "No such organization.", "unknown org");
        }
        return id;
    }

    static Map<String, Object> render(PgAdminKeys.AdminKey k) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", k.id().toString());
        m.put("name", k.name());
        m.put("org_id", k.orgId() == null ? null : k.orgId().toString());
        m.put("created_at", k.createdAt().toString());
        m.put("revoked_at", k.revokedAt() == null ? null : k.revokedAt().toString());
        return m;
    }
}
