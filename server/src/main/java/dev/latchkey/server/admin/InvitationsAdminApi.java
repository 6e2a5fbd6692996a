package dev.latchkey.server.admin;

import dev.latchkey.core.error.ErrorCode;
import dev.latchkey.core.error.LatchkeyException;
import dev.latchkey.core.org.invite.Invitation;
import dev.latchkey.core.org.invite.Invitations;
import dev.latchkey.server.http.Endpoints;
import dev.latchkey.server.http.JsonBodies;
import dev.latchkey.server.http.JsonResponses;
import dev.latchkey.server.http.Requests;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Invitations in the admin API (behind {@link AdminApi}'s authentication of {@code /admin/v1/*}), all under
 * {@code /admin/v1/orgs/{id}/invitations}: {@code POST} {@code {"email","roles"}} invites (201; the token is only in
 * the mail), {@code GET ?limit=&after=} lists a page by id, {@code GET …/{inv}} reads one, {@code DELETE …/{inv}} revokes.
 */
public final class InvitationsAdminApi implements Endpoints {
    private final Invitations invitations;
    private final JsonBodies bodies;
    private final Requests requests;
    private final JsonResponses responses;
    private final Clock clock;

    public InvitationsAdminApi(Invitations invitations, JsonBodies bodies, Requests requests, Clock clock) {
        this.invitations = invitations;
        this.bodies = bodies;
        this.requests = requests;
        this.responses = new JsonResponses(bodies.mapper());
        this.clock = clock;
    }

    record InviteBody(String email, List<String> roles) {
    }

    @Override
    public void register(RoutesConfig r) {
        String base = AdminApi.BASE + "/orgs/{id}/invitations";
        r.post(base, ctx -> {
            InviteBody b = bodies.read(ctx, InviteBody.class);
            Invitation inv = invitations.create(RolesAdminApi.org(ctx), b.email(), b.roles(), requests.context(ctx));
            ctx.header("Location", base.replace("{id}", inv.orgId().toString()) + "/" + inv.id());
            responses.write(ctx, 201, render(inv));
        });
        r.get(base, this::list);
        r.get(base + "/{inv}", ctx -> responses.write(ctx, 200, render(invitations.get(RolesAdminApi.org(ctx), invitation(ctx)))));
        r.delete(base + "/{inv}", ctx -> {
            invitations.revoke(RolesAdminApi.org(ctx), invitation(ctx), requests.context(ctx));
            ctx.status(204);
        });
    }

    void list(Context ctx) {
        UUID org = RolesAdminApi.org(ctx);
        AdminPage<UUID> page = AdminPage.of(ctx, 1000, UUID::fromString, "an invitation id");
        responses.write(ctx, 200, page.body("invitations", invitations.list(org, page.after(), page.limit()), this::render,
                (Invitation i) -> i.id().toString()));
    }

    private static UUID invitation(Context ctx) {
        try {
            return UUID.fromString(ctx.pathParam("inv"));
        } catch (IllegalArgumentException e) {
            throw LatchkeyException.withMessage(ErrorCode.NOT_FOUND, "No such invitation.", "malformed invitation id");
        }
    }

    Map<String, Object> render(Invitation i) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", i.id().toString());
        m.put("org_id", i.orgId().toString());
        m.put("email", i.email());
        m.put("roles", i.roles());
        m.put("status", i.statusAt(clock.instant()).wire());
        m.put("created_at", i.createdAt().toString());
        m.put("expires_at", i.expiresAt().toString());
        m.put("accepted_by", i.acceptedBy() == null ? null : i.acceptedBy().toString());
        m.put("accepted_at", i.acceptedAt() == null ? null : i.acceptedAt().toString());
        return m;
    }
}
