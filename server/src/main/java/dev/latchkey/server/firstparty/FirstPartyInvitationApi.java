package dev.latchkey.server.firstparty;

import dev.latchkey.core.account.UserStore;
import dev.latchkey.core.error.ErrorCode;
import dev.latchkey.core.error.LatchkeyException;
import dev.latchkey.core.org.invite.Invitation;
import dev.latchkey.core.org.invite.Invitations;
import dev.latchkey.server.http.Endpoints;
import dev.latchkey.server.http.JsonBodies;
import dev.latchkey.server.http.JsonResponses;
import dev.latchkey.server.http.Requests;
import io.javalin.config.RoutesConfig;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code POST /api/auth/invitations/accept} with {@code {"token": "…"}} and the first-party Bearer access token: the
 * signed-in user, whose e-mail address must be the invited one, joins the organization with the invitation's roles.
 * Answers {@code {"org_id","roles"}}; the session's next token (a refresh or {@code POST /api/auth/org}) carries it.
 * A Bearer token is no ambient credential, so no CSRF proof is asked.
 */
public final class FirstPartyInvitationApi implements Endpoints {
    private final FirstPartyAuthApi auth;
    private final Invitations invitations;
    private final UserStore users;
    private final JsonBodies bodies;
    private final Requests requests;
    private final JsonResponses json;

    public FirstPartyInvitationApi(FirstPartyAuthApi auth, Invitations invitations, UserStore users, JsonBodies bodies, Requests requests) {
        this.auth = auth;
        this.invitations = invitations;
        this.users = users;
        this.bodies = bodies;
        this.requests = requests;
        this.json = new JsonResponses(bodies.mapper());
    }

    record Accept(String token) {
    }

    @Override
    public void register(RoutesConfig r) {
        r.post(FirstPartyAuthApi.PATH + "/invitations/accept", ctx -> {
            BearerAuth.Caller caller = auth.authenticated(ctx);
            Accept a = bodies.read(ctx, Accept.class);
            var user = users.findById(caller.userId())
                    .orElseThrow(() -> LatchkeyException.of(ErrorCode.SESSION_REVOKED, "user of the token is gone"));
            Invitation inv = invitations.accept(a.token(), user.id(), user.email(), requests.context(ctx));
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("org_id", inv.orgId().toString());
            out.put("roles", inv.roles());
            ctx.header("Cache-Control", "no-store");
            json.write(ctx, 200, out);
        });
    }
}
