package dev.latchkey.server.admin;

import dev.latchkey.core.error.ErrorCode;
import dev.latchkey.core.error.LatchkeyException;
import dev.latchkey.core.oauth.ClientRegistry;
import dev.latchkey.core.org.ServiceAccount;
import dev.latchkey.core.org.ServiceAccountClients;
import dev.latchkey.core.org.ServiceAccounts;
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
 * An organization's service accounts in the admin API, all under {@code /admin/v1/orgs/{id}/service-accounts}
 * (so an organization-scoped admin key reaches only its own): {@code POST} creates
 * ({@code {"name","description","roles"}}), {@code GET} lists ({@code ?limit=&after=}) or reads one,
 * {@code PATCH …/{sa}} changes {@code name}, {@code description}, {@code roles} and/or {@code disabled},
 * {@code DELETE …/{sa}} removes it; {@code POST …/{sa}/clients} creates a {@code client_credentials}
 * client the account owns and returns its secret once.
 */
public final class ServiceAccountsAdminApi implements Endpoints {
    static final String BASE = AdminApi.BASE + "/orgs/{id}/service-accounts";
    private final ServiceAccounts accounts;
    private final ServiceAccountClients clients;
    private final JsonBodies bodies;
    private final Requests requests;
    private final JsonResponses responses;

    public ServiceAccountsAdminApi(ServiceAccounts accounts, ServiceAccountClients clients, JsonBodies bodies, Requests requests) {
        this.accounts = accounts;
        this.clients = clients;
        this.bodies = bodies;
        this.requests = requests;
        this.responses = new JsonResponses(bodies.mapper());
    }

    record CreateBody(String name, String description, List<String> roles) {
    }

    record PatchBody(String name, String description, List<String> roles, Boolean disabled) {
    }

    record ClientBody(String name, List<String> audiences) {
    }

    @Override
    public void register(RoutesConfig r) {
        r.post(BASE, ctx -> {
            CreateBody b = bodies.read(ctx, CreateBody.class);
            responses.write(ctx, 201, render(accounts.create(RolesAdminApi.org(ctx), b.name(), b.description(), b.roles(), requests.context(ctx))));
        });
        r.get(BASE, this::list);
        r.get(BASE + "/{sa}", ctx -> {
            UUID org = RolesAdminApi.org(ctx);
            UUID sa = account(ctx);
            Map<String, Object> out = render(accounts.get(org, sa));
            out.put("clients", accounts.clients(org, sa));
            responses.write(ctx, 200, out);
        });
        r.patch(BASE + "/{sa}", ctx -> {
            PatchBody b = bodies.read(ctx, PatchBody.class);
            responses.write(ctx, 200, render(accounts.update(RolesAdminApi.org(ctx), account(ctx), b.name(), b.description(), b.roles(),
                    b.disabled(), requests.context(ctx))));
        });
        r.delete(BASE + "/{sa}", ctx -> {
            accounts.delete(RolesAdminApi.org(ctx), account(ctx), requests.context(ctx));
            ctx.status(204);
        });
        r.post(BASE + "/{sa}/clients", ctx -> {
            ClientBody b = bodies.read(ctx, ClientBody.class);
            ClientRegistry.Registered reg = clients.create(RolesAdminApi.org(ctx), account(ctx), b.name(), b.audiences(), requests.context(ctx));
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("client_id", reg.client().clientId());
            out.put("client_secret", reg.secret());
            out.put("grant_types", List.of("client_credentials"));
            out.put("token_endpoint_auth_method", "client_secret_basic");
            ctx.header("Cache-Control", "no-store");
            responses.write(ctx, 201, out);
        });
    }

    private void list(Context ctx) {
        AdminPage<UUID> page = AdminPage.of(ctx, ServiceAccounts.MAX_PAGE, UUID::fromString, "a service account id");
        responses.write(ctx, 200, page.body("service_accounts", accounts.list(RolesAdminApi.org(ctx), page.after(), page.limit()),
                ServiceAccountsAdminApi::render, (ServiceAccount a) -> a.id().toString()));
    }

    private static UUID account(Context ctx) {
        try {
            return UUID.fromString(ctx.pathParam("sa"));
        } catch (IllegalArgumentException e) {
            throw LatchkeyException.withMessage(ErrorCode.NOT_FOUND, "No such service account.", "malformed service account id");
        }
    }

    static Map<String, Object> render(ServiceAccount a) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", a.id().toString());
        m.put("sub", a.subject());
        m.put("org_id", a.orgId().toString());
        m.put("name", a.name());
        m.put("description", a.description());
        m.put("roles", a.roles());
        m.put("disabled", a.disabled());
        m.put("disabled_at", a.disabledAt() == null ? null : a.disabledAt().toString());
        m.put("created_at", a.createdAt().toString());
        return m;
    }
}
