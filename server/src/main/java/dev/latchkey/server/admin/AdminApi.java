package dev.latchkey.server.admin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.latchkey.core.account.EmailAddress;
import dev.latchkey.core.audit.AuditSink;
import dev.latchkey.core.org.Memberships;
import dev.latchkey.core.org.OrgStore;
import dev.latchkey.core.org.Organizations;
import dev.latchkey.core.org.Organization;
import java.time.Clock;
import dev.latchkey.core.account.AccountService;
import dev.latchkey.core.account.User;
import dev.latchkey.core.account.UserStatus;
import dev.latchkey.core.account.UserStore;
import dev.latchkey.core.crypto.Digests;
import dev.latchkey.core.error.ErrorCode;
import dev.latchkey.core.error.LatchkeyException;
import dev.latchkey.core.oauth.Client;
import dev.latchkey.core.oauth.ClientRegistration;
import dev.latchkey.core.oauth.ClientRegistry;
import dev.latchkey.core.oauth.GrantType;
import dev.latchkey.server.http.Endpoints;
import dev.latchkey.server.http.JsonBodies;
import dev.latchkey.server.http.JsonResponses;
import dev.latchkey.server.http.Requests;
import dev.latchkey.store.sql.PgAdminKeys;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * The admin API under {@code /admin/v1}, for an administrator's API key ({@code Authorization:
 * Bearer lka_…}, created with {@code latchkey admin keys create}, or the bootstrap key in
 * {@code LATCHKEY_ADMIN_API_KEY}): OAuth clients and user accounts.
 */
public final class AdminApi implements Endpoints {
    static final String BASE = "/admin/v1";

    private final ClientRegistry clients;
    private final OrgStore orgs;
    private final Organizations organizations;
    private final Memberships memberships;
    private final AuditSink audit;
    private final Clock clock;
    private final AccountService accounts;
    private final UserStore users;
    private final PgAdminKeys keys;
    private final Optional<byte[]> bootstrapKeyHash;
    private final JsonBodies bodies;
    private final ObjectMapper json;
    private final Requests requests;
    private final JsonResponses responses;

    public AdminApi(ClientRegistry clients, AccountService accounts, UserStore users, OrgStore orgs, AuditSink audit, Clock clock,
                    PgAdminKeys keys, Optional<String> bootstrapKey, JsonBodies bodies, Requests requests) {
        this.clients = clients;
        this.orgs = orgs;
        this.organizations = new Organizations(orgs, audit, clock);
        this.memberships = new Memberships(orgs, audit, clock);
        this.audit = audit;
        this.clock = clock;
        this.accounts = accounts;
        this.users = users;
        this.keys = keys;
        this.bootstrapKeyHash = bootstrapKey.map(Digests::sha256);
        this.bodies = bodies;
        this.json = bodies.mapper();
        this.requests = requests;
        this.responses = new JsonResponses(json);
    }

    /** A client as the admin API reads and writes it. */
    record ClientBody(String client_id, String client_name, String token_endpoint_auth_method, List<String> redirect_uris,
                      List<String> post_logout_redirect_uris, List<String> grant_types, String scope, List<String> audiences,
                      Boolean first_party, Boolean require_pushed_authorization_requests, JsonNode jwks, String access_token_type,
                      String id_token_signed_response_alg, String application_type) {
        ClientRegistration registration(String id) {
            return new ClientRegistration(id, client_name, token_endpoint_auth_method, redirect_uris, post_logout_redirect_uris,
                    grant_types, scope, audiences, first_party, require_pushed_authorization_requests, jwks == null ? null : jwks.toString(),
                    access_token_type, id_token_signed_response_alg, application_type);
        }
    }

    record RolesBody(List<String> roles) {
    }

    @Override
    public void register(RoutesConfig r) {
        r.get(BASE + "/orgs", ctx -> {
            if (ctx.queryParam("slug") != null) {
                write(ctx, 200, Map.of("orgs", orgs.findBySlug(ctx.queryParam("slug")).stream().map(AdminApi::render).toList()));
                return;
            }
            AdminPage<UUID> page = AdminPage.of(ctx, 1000, UUID::fromString, "an organization id");
            write(ctx, 200, page.body("orgs", orgs.list(page.after(), page.limit()), AdminApi::render, o -> o.id().toString()));
        });
        r.get(BASE + "/orgs/{id}", ctx -> {
            Organization o = org(ctx);
            Map<String, Object> m = render(o);
            m.put("members", orgs.members(o.id()).stream().map(x -> Map.of("user_id", x.userId().toString(), "roles", x.roles())).toList());
            write(ctx, 200, m);
        });
        r.delete(BASE + "/orgs/{id}", ctx -> {
            organizations.delete(org(ctx).id(), requests.context(ctx));
            ctx.status(204);
        });
        r.put(BASE + "/orgs/{id}/members/{user}", this::setMembership);
        r.delete(BASE + "/orgs/{id}/members/{user}", ctx -> {
            Organization o = org(ctx);
            AdminCaller caller = AdminCaller.of(ctx);
            // an org-scoped key gets one answer for an unknown account and a non-member
            User u = caller.orgScoped() ? findUser(ctx.pathParam("user")).orElseThrow(() -> LatchkeyException.withMessage(
                    ErrorCode.NOT_FOUND, "The user is not a member.", "org key: unknown user")) : user(ctx, ctx.pathParam("user"));
            memberships.remove(o.id(), u.id(), actor(caller), requests.context(ctx));
            ctx.status(204);
        });
        r.before(BASE + "/*", this::authenticate);
        r.beforeMatched(BASE + "/*", OrgScope::checkRoute);
        r.afterMatched(BASE + "/*", ctx -> OrgScope.recordChange(ctx, audit, clock, requests.context(ctx)));
        r.post(BASE + "/clients", this::createClient);
        r.get(BASE + "/clients", ctx -> write(ctx, 200, Map.of("clients", clients.list().stream().map(AdminApi::render).toList())));
        r.get(BASE + "/clients/{id}", ctx -> write(ctx, 200, render(client(ctx))));
        r.put(BASE + "/clients/{id}", this::updateClient);
        r.delete(BASE + "/clients/{id}", ctx -> {
            if (!clients.delete(ctx.pathParam("id"))) {
                throw LatchkeyException.withMessage(ErrorCode.NOT_FOUND, "No such client.", "delete unknown client");
            }
            ctx.status(204);
        });
        r.post(BASE + "/clients/{id}/secret", ctx -> {
            ClientRegistry.Registered reg = clients.rotateSecret(client(ctx).clientId());
            write(ctx, 200, withSecret(reg));
        });
        r.get(BASE + "/users", this::listUsers);
        r.get(BASE + "/users/{id}", ctx -> write(ctx, 200, render(user(ctx))));
        r.patch(BASE + "/users/{id}", this::updateUser);
        r.post(BASE + "/users/{id}/disable", ctx -> setStatus(ctx, UserStatus.DISABLED));
        r.post(BASE + "/users/{id}/enable", ctx -> setStatus(ctx, UserStatus.ACTIVE));
        r.delete(BASE + "/users/{id}", ctx -> {
            accounts.delete(user(ctx).id(), requests.context(ctx));
            ctx.status(204);
        });
    }

    void authenticate(Context ctx) {
        String h = ctx.header("Authorization");
        String key = h != null && h.regionMatches(true, 0, "Bearer ", 0, 7) ? h.substring(7).strip() : null;
        AdminCaller caller = key == null ? null : bootstrapKeyHash.map(b -> Digests.equal(b, Digests.sha256(key))).orElse(false)
                ? AdminCaller.BOOTSTRAP : keys.authenticate(key).map(k -> new AdminCaller(k.id(), k.orgId())).orElse(null);
        if (caller == null) {
            throw LatchkeyException.withMessage(ErrorCode.UNAUTHENTICATED, "An admin API key is required (Authorization: Bearer lka_…).",
                    key == null ? "no admin key" : "wrong admin key");
        }
        ctx.attribute(AdminCaller.ATTRIBUTE, caller);
        OrgScope.checkPath(ctx, caller);
    }

    void createClient(Context ctx) {
        ClientBody b = bodies.read(ctx, ClientBody.class);
        ClientRegistry.Registered reg = clients.register(b.registration(b.client_id()));
        write(ctx, 201, withSecret(reg));
    }

    void updateClient(Context ctx) {
        String id = client(ctx).clientId();
        ClientBody b = bodies.read(ctx, ClientBody.class);
        if (b.client_id() != null && !b.client_id().equals(id)) {
            throw LatchkeyException.withMessage(ErrorCode.VALIDATION_FAILED, "client_id cannot be changed.", "client id change");
        }
        write(ctx, 200, withSecret(clients.update(id, b.registration(id))));
    }

    /** Sets a member's roles; the user's sessions end, and their next tokens carry the new roles. */
    void setMembership(Context ctx) {
        Organization o = org(ctx);
        AdminCaller caller = AdminCaller.of(ctx);
        RolesBody b = bodies.read(ctx, RolesBody.class);
        List<String> roles = Memberships.roles(b.roles());
        User u;
        if (caller.orgScoped()) {
            // an org admin changes existing members only, in one conditional update; an unknown account and a
            // non-member get the same answer, so the key learns nothing about the deployment's other accounts
            Optional<User> found = findUser(ctx.pathParam("user"));
            if (found.isEmpty() || !memberships.change(o.id(), found.get().id(), roles, actor(caller), requests.context(ctx))) {
                throw LatchkeyException.withMessage(ErrorCode.FORBIDDEN, NOT_A_MEMBER_INVITE, "org key: not a member or unknown user");
            }
            u = found.get();
        } else {
            u = user(ctx, ctx.pathParam("user"));
            memberships.set(o.id(), u.id(), roles, null, requests.context(ctx));
        }
        write(ctx, 200, Map.of("org_id", o.id().toString(), "user_id", u.id().toString(), "roles", roles));
    }

    private Organization org(Context ctx) {
        try {
            return orgs.find(UUID.fromString(ctx.pathParam("id")))
                    .orElseThrow(() -> LatchkeyException.withMessage(ErrorCode.NOT_FOUND, "No such organization.", "unknown org"));
        } catch (IllegalArgumentException e) {
            throw LatchkeyException.withMessage(ErrorCode.NOT_FOUND, "No such organization.", "malformed org id");
        }
    }

    static Map<String, Object> render(Organization o) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", o.id().toString());
        m.put("name", o.name());
        m.put("slug", o.slug());
        m.put("claims", o.claims().values());
        m.put("created_at", o.createdAt().toString());
        return m;
    }

    void listUsers(Context ctx) {
        int offset = intParam(ctx, "offset", 0);
        int limit = Math.min(intParam(ctx, "limit", 100), 1000);
        write(ctx, 200, Map.of("users", users.list(offset, limit).stream().map(AdminApi::render).toList(), "total", users.count()));
    }

    /** The profile fields an administrator may change: {@code name} (null or blank clears it). */
    record UserPatch(String name) {
    }

    void updateUser(Context ctx) {
        User u = user(ctx);
        UserPatch patch = bodies.read(ctx, UserPatch.class);
        JsonBodies.bounded(patch.name(), "name", 400);
        write(ctx, 200, render(accounts.rename(u.id(), patch.name(), requests.context(ctx))));
    }

    void setStatus(Context ctx, UserStatus status) {
        User u = user(ctx);
        accounts.setStatus(u.id(), status, requests.context(ctx));
        write(ctx, 200, render(accounts.get(u.id())));
    }

    private Client client(Context ctx) {
        return clients.find(ctx.pathParam("id")).orElseThrow(() -> LatchkeyException.withMessage(ErrorCode.NOT_FOUND, "No such client.", "unknown client"));
    }

    private User user(Context ctx) {
        return user(ctx, ctx.pathParam("id"));
    }

    private User user(Context ctx, String id) {
        return findUser(id).orElseThrow(() -> LatchkeyException.withMessage(ErrorCode.NOT_FOUND, "No such user.", "unknown user"));
    }

    static final String NOT_A_MEMBER_INVITE = "The user is not a member of this organization. An organization's admin key cannot "
            + "add members: invite them instead.";

    /** An org-scoped key's actions carry the key and its organization in the audit detail; null for a deployment key. */
    static String actor(AdminCaller caller) {
        return caller.orgScoped() ? caller.describe() : null;
    }

    private Optional<User> findUser(String id) {
        Optional<User> u;
        try {
            u = users.findById(UUID.fromString(id));
        } catch (IllegalArgumentException e) {
            try {
                u = users.findByEmail(EmailAddress.parse(id));
            } catch (LatchkeyException notEmail) {
                u = Optional.empty();
            }
        }
        return u;
    }

    static Map<String, Object> render(Client c) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("client_id", c.clientId());
        m.put("client_name", c.name());
        m.put("token_endpoint_auth_method", c.authMethod().wireName());
        m.put("redirect_uris", c.redirectUris());
        m.put("post_logout_redirect_uris", c.postLogoutRedirectUris());
        m.put("grant_types", c.grantTypes().stream().map(GrantType::wireName).sorted().toList());
        m.put("scope", String.join(" ", c.scopes()));
        m.put("audiences", c.audiences());
        m.put("first_party", c.firstParty());
        m.put("require_pushed_authorization_requests", c.requirePar());
        m.put("access_token_type", c.jwtTypedAccessTokens() ? "jwt" : "at+jwt");
        m.put("id_token_signed_response_alg", c.idTokenSignedResponseAlg().wireName());
        m.put("application_type", c.applicationType().wireName());
        m.put("created_at", c.createdAt().toString());
        m.put("updated_at", c.updatedAt().toString());
        return m;
    }

    private Map<String, Object> withSecret(ClientRegistry.Registered reg) {
        Map<String, Object> m = render(reg.client());
        if (reg.secret() != null) {
            m.put("client_secret", reg.secret());
        }
        if (reg.client().jwks() != null) {
            try {
                m.put("jwks", json.readTree(reg.client().jwks()));
            } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
                throw LatchkeyException.wrap(ErrorCode.INTERNAL, "stored jwks", e);
            }
        }
        return m;
    }

    static Map<String, Object> render(User u) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", u.id().toString());
        m.put("email", u.email().value());
        m.put("email_verified", u.emailVerified());
        m.put("name", u.name());
        m.put("status", u.status().name().toLowerCase(java.util.Locale.ROOT));
        m.put("created_at", u.createdAt().toString());
        return m;
    }

    private void write(Context ctx, int status, Object body) {
        responses.write(ctx, status, body);
    }

    private static int intParam(Context ctx, String name, int dflt) {
        String v = ctx.queryParam(name);
        if (v == null) {
            return dflt;
        }
        try {
            int n = Integer.parseInt(v);
            if (n < 0) {
                throw new NumberFormatException();
            }
            return n;
        } catch (NumberFormatException e) {
            throw LatchkeyException.withMessage(ErrorCode.VALIDATION_FAILED, name + " must be a non-negative number.", "bad " + name);
        }
    }

}
