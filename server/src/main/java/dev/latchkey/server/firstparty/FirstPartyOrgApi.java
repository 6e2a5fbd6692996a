package dev.latchkey.server.firstparty;

import dev.latchkey.core.org.OrgStore;
import dev.latchkey.core.org.OrgSwitch;
import dev.latchkey.server.http.Endpoints;
import dev.latchkey.server.http.JsonBodies;
import dev.latchkey.server.http.JsonResponses;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Organizations in the first-party API: {@code GET /api/auth/orgs} (Bearer) lists the caller's
 * organizations, marking the token's; {@code POST /api/auth/org} with {@code {"org_id": "…"}} (refresh
 * cookie, {@code X-CSRF: 1}) switches the session to another of them and answers like a refresh, with
 * tokens for that organization (docs/authorization.md). Not a member: 403 {@code not_a_member}, and the
 * refresh cookie stays valid.
 */
public final class FirstPartyOrgApi implements Endpoints {
    private final FirstPartyAuthApi auth;
    private final OrgSwitch orgSwitch;
    private final OrgStore orgs;
    private final JsonBodies bodies;
    private final JsonResponses json;

    public FirstPartyOrgApi(FirstPartyAuthApi auth, OrgSwitch orgSwitch, OrgStore orgs, JsonBodies bodies) {
        this.auth = auth;
        this.orgSwitch = orgSwitch;
        this.orgs = orgs;
        this.bodies = bodies;
        this.json = new JsonResponses(bodies.mapper());
    }

    record Choice(String org_id) {
    }

    @Override
    public void register(RoutesConfig r) {
        r.post(FirstPartyAuthApi.PATH + "/org", ctx -> {
            Choice c = bodies.read(ctx, Choice.class);
            var org = OrgSwitch.parseOrg(c.org_id());
            auth.rotate(ctx, (presented, rc) -> orgSwitch.switchTo(presented, null, org, rc));
        });
        r.get(FirstPartyAuthApi.PATH + "/orgs", this::list);
        r.delete(FirstPartyAuthApi.PATH + "/orgs/{id}", this::leave);
    }

    /**
     * {@code DELETE /api/auth/orgs/{id}} (Bearer): the caller leaves the organization. As any removal it ends the
     * user's sessions (so no token keeps that org's access): the client signs in again. Not a member: 403.
     */
    void leave(Context ctx) {
        BearerAuth.Caller caller = auth.authenticated(ctx);
        auth.requireSameSite(ctx);
        var org = OrgSwitch.parseOrg(ctx.pathParam("id"));
        if (!orgs.removeMembership(org, caller.userId(), java.time.Instant.now())) {
            throw dev.latchkey.core.error.LatchkeyException.withMessage(dev.latchkey.core.error.ErrorCode.NOT_A_MEMBER,
                    dev.latchkey.core.error.ErrorCode.NOT_A_MEMBER.description(), "leave: not a member");
        }
        ctx.status(204);
    }

    void list(Context ctx) {
        BearerAuth.Caller caller = auth.authenticated(ctx);
        String current = caller.claims().org();
        List<Map<String, Object>> out = orgs.organizationsOf(caller.userId()).stream().map(m -> {
            Map<String, Object> o = new LinkedHashMap<>();
            o.put("id", m.org().id().toString());
            o.put("name", m.org().name());
            o.put("roles", m.roles());
            o.put("current", m.org().id().toString().equals(current));
            return o;
        }).toList();
        ctx.header("Cache-Control", "no-store");
        json.write(ctx, 200, Map.of("orgs", out));
    }
}
