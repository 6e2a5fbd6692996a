package dev.latchkey.server.admin;

import com.fasterxml.jackson.databind.JsonNode;
import dev.latchkey.core.audit.AuditTrail;
import dev.latchkey.core.error.ErrorCode;
import dev.latchkey.core.error.LatchkeyException;
import dev.latchkey.core.org.OrgCustomClaims;
import dev.latchkey.core.org.OrgStore;
import dev.latchkey.core.org.Organization;
import dev.latchkey.core.org.Organizations;
import dev.latchkey.server.http.Endpoints;
import dev.latchkey.server.http.JsonBodies;
import dev.latchkey.server.http.JsonResponses;
import dev.latchkey.server.http.Requests;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Organizations' metadata and audit trail in the admin API (behind {@link AdminApi}'s authentication of
 * {@code /admin/v1/*}): {@code POST /admin/v1/orgs} {@code {"name", "slug"?, "claims"?}} creates one,
 * {@code PATCH /admin/v1/orgs/{id}} changes what the body names ({@code GET /admin/v1/orgs?slug=}
 * finds one by slug, in {@link AdminApi}), and {@code GET /admin/v1/orgs/{id}/audit?limit=&after=} pages through the events about
 * one, newest first.
 */
public final class OrgsAdminApi implements Endpoints {
    private final Organizations organizations;
    private final OrgStore orgs;
    private final AuditTrail trail;
    private final JsonBodies bodies;
    private final Requests requests;
    private final JsonResponses responses;

    public OrgsAdminApi(Organizations organizations, OrgStore orgs, AuditTrail trail, JsonBodies bodies, Requests requests) {
        this.organizations = organizations;
        this.orgs = orgs;
        this.trail = trail;
        this.bodies = bodies;
        this.requests = requests;
        this.responses = new JsonResponses(bodies.mapper());
    }

    /** An organization's fields as the admin API writes them; absent (null) fields are left alone by PATCH. */
    record OrgBody(String name, String slug, JsonNode claims) {
    }

    @Override
    public void register(RoutesConfig r) {
        r.post(AdminApi.BASE + "/orgs", ctx -> {
            OrgBody b = bodies.read(ctx, OrgBody.class);
            JsonBodies.required(b.name(), "name");
            Organization o = organizations.create(b.name(), b.slug(), claims(b.claims()), requests.context(ctx));
            responses.write(ctx, 201, AdminApi.render(o));
        });
        r.patch(AdminApi.BASE + "/orgs/{id}", ctx -> {
            UUID id = orgId(ctx);
            OrgBody b = bodies.read(ctx, OrgBody.class);
            if (b.name() == null && b.slug() == null && b.claims() == null) {
                throw LatchkeyException.withMessage(ErrorCode.VALIDATION_FAILED, "Send at least one of name, slug and claims.", "empty org patch");
            }
            responses.write(ctx, 200, AdminApi.render(organizations.update(id, b.name(), b.slug(), claims(b.claims()), requests.context(ctx))));
        });
        r.get(AdminApi.BASE + "/orgs/{id}/audit", this::audit);
    }

    /**
     * One page of the events about the organization, newest first: {@code {"events":[{"id","at","type","user_id",
     * "session_id","client_id","ip","detail"}],"next":<id>|null}}; {@code next} is the {@code after} of the following
     * (older) page. {@code limit} 1–1000 (100).
     */
    void audit(Context ctx) {
        UUID id = orgId(ctx);
        if (orgs.find(id).isEmpty()) {
            throw LatchkeyException.withMessage(ErrorCode.NOT_FOUND, "No such organization.", "unknown org");
        }
        AdminPage<Long> page = AdminPage.of(ctx, 1000, OrgsAdminApi::position, "the next of the previous page");
        responses.write(ctx, 200, page.body("events", trail.ofOrg(id, page.after(), page.limit()), (AuditTrail.Entry e) -> {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("id", e.id());
            m.put("at", e.event().at().toString());
            m.put("type", e.event().type().wireName());
            m.put("user_id", e.event().userId() == null ? null : e.event().userId().toString());
            m.put("session_id", e.event().sessionId() == null ? null : e.event().sessionId().toString());
            m.put("client_id", e.event().clientId());
            m.put("ip", e.event().ip());
            m.put("detail", e.event().detail());
            return m;
        }, AuditTrail.Entry::id));
    }

    /** An audit position: a positive number. */
    private static Long position(String s) {
        long p = Long.parseLong(s);
        if (p < 1) {
            throw new IllegalArgumentException("not a position: " + s);
        }
        return p;
    }

    /**
     * The custom claims of a body: null when absent, none for {@code null} or {@code {}} (also read by
     * {@code latchkey admin orgs --claims}).
     */
    public static OrgCustomClaims claims(JsonNode node) {
        if (node == null) {
            return null;
        }
        if (node.isNull()) {
            return OrgCustomClaims.NONE;
        }
        if (!node.isObject()) {
            throw LatchkeyException.withMessage(ErrorCode.VALIDATION_FAILED, "claims must be a JSON object, e.g. {\"plan\": \"pro\"}.", "claims not object");
        }
        if (node.size() > OrgCustomClaims.MAX_KEYS) {
            throw LatchkeyException.withMessage(ErrorCode.VALIDATION_FAILED, "An organization has at most " + OrgCustomClaims.MAX_KEYS
                    + " custom claims.", "too many claims");
        }
        Map<String, Object> m = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> f = it.next();
            JsonNode v = f.getValue();
            Object value;
            if (v.isTextual()) {
                value = v.textValue();
            } else if (v.isBoolean()) {
                value = v.booleanValue();
            } else if (v.isIntegralNumber() && v.canConvertToLong()) {
                value = v.longValue();
            } else if (v.isNumber() && !v.isIntegralNumber()) {
                value = v.doubleValue();
            } else if (v.isNull()) {
                value = null;
            } else {
                value = List.of(); // an object, a list or a number too large: refused by name below
            }
            m.put(f.getKey(), value);
        }
        return new OrgCustomClaims(m);
    }

    private static UUID orgId(Context ctx) {
        try {
            return UUID.fromString(ctx.pathParam("id"));
        } catch (IllegalArgumentException e) {
            throw LatchkeyException.withMessage(ErrorCode.NOT_FOUND, "No such organization.", "malformed org id");
        }
    }
}
