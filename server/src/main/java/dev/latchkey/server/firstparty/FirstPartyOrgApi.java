package dev.latchkey.server.firstparty;

import dev.latchkey.core.oauth.Client;
import dev.latchkey.core.oauth.ClientStore;
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
 * organizations, marking the token's (a user's token of the first-party client, or of any client registered
 * {@code first_party}, such as the gateway, which shows the list in its app); {@code POST /api/auth/org} with {@code {"org_id": "…"}} (refresh
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
    private final ClientStore clients;

    /** @param clients the registered clients: whose user tokens may list (first-party ones only) */
    public FirstPartyOrgApi(FirstPartyAuthApi auth, OrgSwitch orgSwitch, OrgStore orgs, ClientStore clients, JsonBodies bodies) {
        this.auth = auth;
        this.clients = java.util.Objects.requireNonNull(clients, "clients");
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

    /**
     * The list is read-only and names only the caller's own memberships, which the server's chooser shows the same user at
     * sign-in; a first-party client's users never consented to it, as it is the deployment's own app. A third-party
     * client's token stays refused (401 {@code invalid_token}), as on every first-party endpoint: it learns the token's
     * {@code org} and no other.
     */
    void list(Context ctx) {
        BearerAuth.Caller caller = auth.authenticated(ctx, this::firstParty);
        String current = caller.claims().org();
        List<Map<String, Object>> out = orgs.organizationsOf(caller.userId()).stream().map(m -> {
            Map<String, Object> o = new LinkedHashMap<>();
            o.put("id", m.org().id().toString());
            o.put("name", m.org().name());
            o.put("slug", m.org().slug());
            o.put("roles", m.roles());
            o.put("current", m.org().id().toString().equals(current));
            return o;
        }).toList();
        ctx.header("Cache-Control", "no-store");
        json.write(ctx, 200, Map.of("orgs", out));
    }

    private boolean firstParty(String clientId) {
        return FirstPartyAuthApi.CLIENT_ID.equals(clientId) || clients.find(clientId).map(Client::firstParty).orElse(false);
    }
}
